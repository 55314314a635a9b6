/* client/config.h: Event Hubs connection strings map to the librdkafka
 * settings Azure documents (SASL_SSL, PLAIN, $ConnectionString, port 9093;
 * the emulator's SASL_PLAINTEXT on 9092), EntityPath becomes the default
 * hub, -X settings win, librdkafka accepts everything we set, and bad
 * strings get a clear error that never echoes the key. */
#include <librdkafka/rdkafka.h>
#include <stdlib.h>

#include "client/config.h"
#include "core/error.h"
#include "test.h"

#define CLOUD                                                                                      \
    "Endpoint=sb://mynamespace.servicebus.windows.net/;SharedAccessKeyName="                       \
    "RootManageSharedAccessKey;SharedAccessKey=abc123+/def=;EntityPath=telemetry"

#define EMULATOR                                                                                   \
    "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey="       \
    "SAS_KEY_VALUE;UseDevelopmentEmulator=true;"

static eddy_client_config cfg;
static char err[512];

static int build(const char *conn, const char *bootstrap, const char *hub)
{
    eddy_client_config_deinit(&cfg);
    eddy_client_opts o = {
        .bootstrap = bootstrap, .connection_string = conn, .hub = hub, .no_env = true};
    err[0] = '\0';
    return eddy_client_config_build(&o, &cfg, err, sizeof err);
}

static const char *get(const char *name)
{
    const char *v = eddy_client_config_get(&cfg, name);
    return v ? v : "(unset)";
}

TEST(cloud_string_maps_to_sasl_ssl_on_9093)
{
    EXPECT_EQ_INT(build(CLOUD, NULL, NULL), 0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "mynamespace.servicebus.windows.net:9093");
    EXPECT_EQ_STR(get("security.protocol"), "SASL_SSL");
    EXPECT_EQ_STR(get("sasl.mechanisms"), "PLAIN");
    EXPECT_EQ_STR(get("sasl.username"), "$ConnectionString");
    EXPECT_EQ_STR(get("sasl.password"), CLOUD);
    EXPECT_EQ_STR(get("socket.keepalive.enable"), "true");
    EXPECT_EQ_STR(get("metadata.max.age.ms"), "180000");
    EXPECT_EQ_STR(cfg.hub, "telemetry");
    EXPECT_EQ_STR(cfg.endpoint, "mynamespace.servicebus.windows.net:9093");
    EXPECT_TRUE(cfg.event_hubs);
}

TEST(emulator_string_maps_to_sasl_plaintext_on_9092)
{
    EXPECT_EQ_INT(build(EMULATOR, NULL, "orders"), 0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "localhost:9092");
    EXPECT_EQ_STR(get("security.protocol"), "SASL_PLAINTEXT");
    EXPECT_EQ_STR(get("sasl.mechanisms"), "PLAIN");
    EXPECT_EQ_STR(get("sasl.username"), "$ConnectionString");
    EXPECT_EQ_STR(get("sasl.password"), EMULATOR);
    EXPECT_EQ_STR(get("socket.keepalive.enable"), "(unset)");
    EXPECT_EQ_STR(cfg.hub, "orders");
    /* An AMQP port in the endpoint is not the Kafka port. */
    EXPECT_EQ_INT(build("Endpoint=sb://10.0.0.7:5672;SharedAccessKeyName=n;SharedAccessKey=k;"
                        "UseDevelopmentEmulator=true",
                        NULL, NULL),
                  0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "10.0.0.7:9092");
    EXPECT_EQ_INT(build("Endpoint=sb://eventhubs-emulator;SharedAccessKeyName=n;SharedAccessKey=k;"
                        "UseDevelopmentEmulator=True",
                        NULL, NULL),
                  0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "eventhubs-emulator:9092");
    EXPECT_EQ_INT(build("Endpoint=sb://[::1]:5672/;SharedAccessKeyName=n;SharedAccessKey=k;"
                        "UseDevelopmentEmulator=true",
                        NULL, NULL),
                  0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "[::1]:9092");
    /* UseDevelopmentEmulator=false is the cloud. */
    EXPECT_EQ_INT(build("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n;"
                        "SharedAccessKey=k;UseDevelopmentEmulator=false",
                        NULL, NULL),
                  0);
    EXPECT_EQ_STR(get("security.protocol"), "SASL_SSL");
}

TEST(keys_are_case_insensitive_and_whitespace_tolerated)
{
    const char *s = "  endpoint = sb://NS.servicebus.windows.net/ ; sharedaccesskeyname=n;"
                    "SHAREDACCESSKEY=k== ;entitypath=hub1;;TransportType=Amqp; \n";
    EXPECT_EQ_INT(build(s, NULL, NULL), 0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "NS.servicebus.windows.net:9093");
    EXPECT_EQ_STR(cfg.hub, "hub1");
    /* The password is the string as given, without the surrounding blanks. */
    const char *pw = get("sasl.password");
    EXPECT_TRUE(strncmp(pw, "endpoint = sb://", 16) == 0);
    EXPECT_TRUE(pw[strlen(pw) - 1] == ';');
    /* A key ending in '=' (base64 padding) keeps it. */
    EXPECT_EQ_INT(
        build("Endpoint=sb://a.b/;SharedAccessKeyName=n;SharedAccessKey=xy==", NULL, NULL), 0);
}

TEST(hub_flag_and_entity_path)
{
    /* --hub equal to EntityPath is fine; different is an error. */
    EXPECT_EQ_INT(build(CLOUD, NULL, "telemetry"), 0);
    EXPECT_EQ_STR(cfg.hub, "telemetry");
    EXPECT_EQ_INT(build(CLOUD, NULL, "other"), EDDY_ERR_INVALID_ARG);
    EXPECT_TRUE(strstr(err, "--hub other") && strstr(err, "'telemetry'"));
    /* Without EntityPath, --hub decides; without either, no hub. */
    EXPECT_EQ_INT(build(EMULATOR, NULL, NULL), 0);
    EXPECT_TRUE(cfg.hub == NULL);
}

TEST(bootstrap_and_defaults)
{
    EXPECT_EQ_INT(build(NULL, "broker1:9092,broker2:9092", "h"), 0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "broker1:9092,broker2:9092");
    EXPECT_EQ_STR(get("security.protocol"), "(unset)");
    EXPECT_TRUE(!cfg.event_hubs);
    EXPECT_EQ_INT(build(NULL, NULL, NULL), 0);
    EXPECT_EQ_STR(get("bootstrap.servers"), EDDY_CLIENT_DEFAULT_BOOTSTRAP);
    EXPECT_EQ_INT(build(CLOUD, "x:1", NULL), EDDY_ERR_INVALID_ARG);
    EXPECT_TRUE(strstr(err, "not both") != NULL);
    EXPECT_EQ_INT(build(NULL, "", NULL), EDDY_ERR_INVALID_ARG);
}

TEST(environment_variable_is_used_unless_flags_say_otherwise)
{
    setenv("EDDY_CONNECTION_STRING", EMULATOR, 1);
    eddy_client_config_deinit(&cfg);
    eddy_client_opts o = {0};
    EXPECT_EQ_INT(eddy_client_config_build(&o, &cfg, err, sizeof err), 0);
    EXPECT_EQ_STR(get("security.protocol"), "SASL_PLAINTEXT");
    eddy_client_config_deinit(&cfg);
    o.bootstrap = "h:1";
    EXPECT_EQ_INT(eddy_client_config_build(&o, &cfg, err, sizeof err), 0);
    EXPECT_EQ_STR(get("bootstrap.servers"), "h:1");
    unsetenv("EDDY_CONNECTION_STRING");
}

/* A bad string: an error that contains `want` and never the secret. */
static int bad(const char *conn, const char *want)
{
    int rc = build(conn, NULL, NULL);
    if (rc != EDDY_ERR_INVALID_ARG) {
        printf("  accepted: %s\n", conn);
        return 0;
    }
    if (!strstr(err, want)) {
        printf("  for %s\n  error \"%s\" lacks \"%s\"\n", conn, err, want);
        return 0;
    }
    if (strstr(err, "S3cr3t")) {
        printf("  error shows the key: %s\n", err);
        return 0;
    }
    return 1;
}

TEST(bad_strings_get_clear_errors)
{
    EXPECT_TRUE(bad("", "empty"));
    EXPECT_TRUE(bad("   ", "empty"));
    EXPECT_TRUE(bad("SharedAccessKeyName=n;SharedAccessKey=S3cr3t", "no Endpoint"));
    EXPECT_TRUE(bad("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=S3cr3t",
                    "no SharedAccessKeyName"));
    EXPECT_TRUE(bad("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n",
                    "no SharedAccessKey"));
    EXPECT_TRUE(bad("Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=n;"
                    "SharedAccessKey=S3cr3t",
                    "must start with sb://"));
    EXPECT_TRUE(bad("Endpoint=ns.servicebus.windows.net;SharedAccessKeyName=n;"
                    "SharedAccessKey=S3cr3t",
                    "must start with sb://"));
    EXPECT_TRUE(bad("Endpoint=sb:///;SharedAccessKeyName=n;SharedAccessKey=S3cr3t", "no host"));
    EXPECT_TRUE(bad("Endpoint=sb://a,b/;SharedAccessKeyName=n;SharedAccessKey=S3cr3t",
                    "characters a host name cannot have"));
    EXPECT_TRUE(
        bad("Endpoint=sb://host:99999/;SharedAccessKeyName=n;SharedAccessKey=S3cr3t", "bad port"));
    EXPECT_TRUE(
        bad("Endpoint=sb://host:/;SharedAccessKeyName=n;SharedAccessKey=S3cr3t", "bad port"));
    EXPECT_TRUE(
        bad("Endpoint=sb://[::1/;SharedAccessKeyName=n;SharedAccessKey=S3cr3t", "unclosed"));
    EXPECT_TRUE(bad("Endpoint=sb://a/;Endpoint=sb://b/;SharedAccessKeyName=n;"
                    "SharedAccessKey=S3cr3t",
                    "Endpoint appears more than once"));
    EXPECT_TRUE(bad("Endpoint=sb://a/;SharedAccessKeyName=n;SharedAccessKey=S3cr3t;"
                    "UseDevelopmentEmulator=yes",
                    "UseDevelopmentEmulator must be true or false"));
    EXPECT_TRUE(bad("Endpoint=sb://a/;SharedAccessKeyName=n;SharedAccessKey=S3cr3t;EntityPath=",
                    "EntityPath is empty"));
    EXPECT_TRUE(bad("Endpoint=sb://a/;SharedAccessKeyName=;SharedAccessKey=S3cr3t",
                    "SharedAccessKeyName is empty"));
    EXPECT_TRUE(bad("Endpoint=sb://a/;SharedAccessKeyName=n;SharedAccessKey=S3cr3t;garbage",
                    "part 4 ('garbage') is not Key=Value"));
    EXPECT_TRUE(bad("Endpoint=sb://a/;=x;SharedAccessKeyName=n;SharedAccessKey=S3cr3t",
                    "no key before '='"));
    EXPECT_TRUE(bad("Endpoint=sb://a/;SharedAccessSignature=SharedAccessSignature sr=x&sig=S3cr3t",
                    "SharedAccessSignature is not accepted"));
    /* A connection string pasted whole into --bootstrap's place. */
    EXPECT_TRUE(bad("sb://ns.servicebus.windows.net/", "not Key=Value"));
}

TEST(parse_exposes_the_parts)
{
    eddy_conn_string cs;
    EXPECT_EQ_INT(eddy_conn_string_parse(CLOUD, &cs, err, sizeof err), 0);
    EXPECT_EQ_STR(cs.host, "mynamespace.servicebus.windows.net");
    EXPECT_EQ_STR(cs.key_name, "RootManageSharedAccessKey");
    EXPECT_EQ_STR(cs.key, "abc123+/def=");
    EXPECT_EQ_STR(cs.entity_path, "telemetry");
    EXPECT_TRUE(!cs.emulator);
    eddy_conn_string_deinit(&cs);
    EXPECT_EQ_INT(eddy_conn_string_parse(NULL, &cs, err, sizeof err), EDDY_ERR_INVALID_ARG);
}

TEST(x_settings_override_and_librdkafka_accepts_them)
{
    const char *props[] = {"linger.ms=50", "sasl.username=someone", "client.id=a=b"};
    eddy_client_config_deinit(&cfg);
    eddy_client_opts o = {.connection_string = CLOUD, .props = props, .nprops = 3, .no_env = true};
    EXPECT_EQ_INT(eddy_client_config_build(&o, &cfg, err, sizeof err), 0);
    EXPECT_EQ_INT(eddy_client_config_set(&cfg, "linger.ms", "5"), 0); /* a command default */
    EXPECT_EQ_STR(get("linger.ms"), "50");                            /* -X wins */
    EXPECT_EQ_STR(get("sasl.username"), "someone");
    EXPECT_EQ_STR(get("client.id"), "a=b");
    rd_kafka_conf_t *conf = eddy_client_conf_new(&cfg, err, sizeof err);
    EXPECT_TRUE(conf != NULL);
    char val[512];
    size_t len = sizeof val;
    EXPECT_EQ_INT(rd_kafka_conf_get(conf, "security.protocol", val, &len), RD_KAFKA_CONF_OK);
    EXPECT_EQ_STR(val, "sasl_ssl");
    len = sizeof val;
    EXPECT_EQ_INT(rd_kafka_conf_get(conf, "sasl.mechanisms", val, &len), RD_KAFKA_CONF_OK);
    EXPECT_EQ_STR(val, "PLAIN");
    len = sizeof val;
    EXPECT_EQ_INT(rd_kafka_conf_get(conf, "linger.ms", val, &len), RD_KAFKA_CONF_OK);
    EXPECT_EQ_STR(val, "50");
    len = sizeof val;
    EXPECT_EQ_INT(rd_kafka_conf_get(conf, "sasl.username", val, &len), RD_KAFKA_CONF_OK);
    EXPECT_EQ_STR(val, "someone");
    rd_kafka_conf_destroy(conf);

    /* An unknown -X setting: librdkafka's error, naming it. */
    const char *bogus[] = {"no.such.setting=1"};
    eddy_client_config_deinit(&cfg);
    o = (eddy_client_opts){.bootstrap = "h:1", .props = bogus, .nprops = 1, .no_env = true};
    EXPECT_EQ_INT(eddy_client_config_build(&o, &cfg, err, sizeof err), 0);
    EXPECT_TRUE(eddy_client_conf_new(&cfg, err, sizeof err) == NULL);
    EXPECT_TRUE(strstr(err, "-X no.such.setting=1") != NULL);
    /* A -X without '='. */
    const char *noeq[] = {"linger.ms"};
    eddy_client_config_deinit(&cfg);
    o.props = noeq;
    EXPECT_EQ_INT(eddy_client_config_build(&o, &cfg, err, sizeof err), EDDY_ERR_INVALID_ARG);
    EXPECT_TRUE(strstr(err, "name=value") != NULL);
}

TEST(emulator_settings_make_a_client)
{
    /* librdkafka takes the whole emulator mapping and builds a client (it
     * connects lazily, so no emulator is needed). */
    EXPECT_EQ_INT(build(EMULATOR, NULL, "h"), 0);
    EXPECT_EQ_INT(eddy_client_config_set(&cfg, "log_level", "0"), 0);
    rd_kafka_conf_t *conf = eddy_client_conf_new(&cfg, err, sizeof err);
    EXPECT_TRUE(conf != NULL);
    char why[256];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
    if (!rk) {
        TEST_FAIL_AT("rd_kafka_new: %s", why);
        rd_kafka_conf_destroy(conf);
        return;
    }
    rd_kafka_destroy(rk);
}

int main(void)
{
    RUN(cloud_string_maps_to_sasl_ssl_on_9093);
    RUN(emulator_string_maps_to_sasl_plaintext_on_9092);
    RUN(keys_are_case_insensitive_and_whitespace_tolerated);
    RUN(hub_flag_and_entity_path);
    RUN(bootstrap_and_defaults);
    RUN(environment_variable_is_used_unless_flags_say_otherwise);
    RUN(bad_strings_get_clear_errors);
    RUN(parse_exposes_the_parts);
    RUN(x_settings_override_and_librdkafka_accepts_them);
    RUN(emulator_settings_make_a_client);
    eddy_client_config_deinit(&cfg);
    return test_summary();
}
