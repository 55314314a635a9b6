/* Hub configuration: eddy's key = value format, the Event Hubs emulator's
 * Config.json, value parsers, and clear errors with line numbers. */
#include "core/error.h"
#include "hub/config.h"
#include "test.h"

TEST(defaults)
{
    eddy_hub_config cfg;
    eddy_hub_config_defaults(&cfg);
    EXPECT_EQ_STR(cfg.listen, "127.0.0.1:9092");
    EXPECT_EQ_STR(cfg.data_dir, "./eddy-data");
    EXPECT_EQ_INT(cfg.partitions, 4);
    EXPECT_TRUE(cfg.auto_create);
    EXPECT_EQ_INT(cfg.fsync, EDDY_HUB_FSYNC_ALWAYS);
    EXPECT_EQ_INT(cfg.max_event_bytes, 1048576);
    EXPECT_EQ_INT(cfg.timestamp_type, EDDY_TS_APPEND);
    eddy_hub_config_deinit(&cfg);
}

TEST(own_format)
{
    static const char text[] = "# eddy hub settings\n"
                               "listen = 127.0.0.1:19092\n"
                               "data-dir = /tmp/x   # trailing comment\n"
                               "fsync = interval:250ms\n"
                               "partitions = 8\n"
                               "retention = 2d\n"
                               "max-event-bytes = 2MiB\n"
                               "\n"
                               "[hub telemetry]\n"
                               "partitions = 12\n"
                               "timestamp = create\n"
                               "consumer-groups = analytics, dashboard\n"
                               "[hub orders]\n"
                               "retention = -1\n";
    eddy_hub_config cfg;
    eddy_hub_config_defaults(&cfg);
    char err[256] = "";
    EXPECT_EQ_INT(eddy_hub_config_parse(&cfg, "t.conf", text, sizeof text - 1, err, sizeof err), 0);
    EXPECT_EQ_STR(cfg.listen, "127.0.0.1:19092");
    EXPECT_EQ_STR(cfg.data_dir, "/tmp/x");
    EXPECT_EQ_INT(cfg.fsync, EDDY_HUB_FSYNC_INTERVAL);
    EXPECT_EQ_INT(cfg.fsync_interval_ms, 250);
    EXPECT_EQ_INT(cfg.partitions, 8);
    EXPECT_EQ_INT(cfg.retention_ms, 2LL * 86400000);
    EXPECT_EQ_INT(cfg.max_event_bytes, 2 * 1048576);
    EXPECT_EQ_INT(cfg.ntopics, 2);
    const eddy_hub_topic_config *t = eddy_hub_config_topic(&cfg, "telemetry");
    EXPECT_TRUE(t != NULL);
    EXPECT_EQ_INT(t->partitions, 12);
    EXPECT_EQ_INT(t->timestamp_type, EDDY_TS_CREATE);
    EXPECT_EQ_INT(t->ngroups, 2);
    EXPECT_EQ_STR(t->groups[0], "analytics");
    EXPECT_EQ_STR(t->groups[1], "dashboard");
    t = eddy_hub_config_topic(&cfg, "orders");
    EXPECT_TRUE(t != NULL);
    EXPECT_EQ_INT(t->retention_ms, -1);
    EXPECT_EQ_INT(t->partitions, -1);
    eddy_hub_config_deinit(&cfg);
}

TEST(errors_name_file_and_line)
{
    eddy_hub_config cfg;
    char err[256];
    struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"listen = 1.2.3.4:9092\nbogus = 1\n", "t.conf:2: unknown setting 'bogus'"},
        {"fsync = sometimes\n", "t.conf:1: bad value 'sometimes' for fsync"},
        {"partitions = 0\n", "t.conf:1: bad value '0' for partitions"},
        {"[hub bad/name]\n", "t.conf:1: invalid hub name 'bad/name'"},
        {"[hub a]\n[hub a]\n", "t.conf:2: hub 'a' is declared twice"},
        {"[topic x]\n", "t.conf:1: unknown section [topic x]"},
        {"no equals sign\n", "t.conf:1: expected key = value"},
        {"[hub a]\nfrobnicate = 1\n", "t.conf:2: unknown hub setting 'frobnicate'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eddy_hub_config_defaults(&cfg);
        err[0] = '\0';
        int rc = eddy_hub_config_parse(&cfg, "t.conf", cases[i].text, strlen(cases[i].text), err,
                                       sizeof err);
        eddy_hub_config_deinit(&cfg);
        EXPECT_EQ_INT(rc, EDDY_ERR_INVALID_CONFIG);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0) {
            EXPECT_EQ_STR(err, cases[i].want);
        }
    }
}

TEST(emulator_config_json)
{
    /* The shape of the Azure Event Hubs emulator's Config.json. */
    static const char text[] =
        "{\n"
        "  \"UserConfig\": {\n"
        "    \"NamespaceConfig\": [\n"
        "      {\n"
        "        \"Type\": \"EventHub\",\n"
        "        \"Name\": \"emulatorNs1\",\n"
        "        \"Entities\": [\n"
        "          {\"Name\": \"eh1\", \"PartitionCount\": \"2\",\n"
        "           \"ConsumerGroups\": [{\"Name\": \"cg1\"}]},\n"
        "          {\"Name\": \"eh2\", \"PartitionCount\": 8, \"ConsumerGroups\": []}\n"
        "        ]\n"
        "      }\n"
        "    ],\n"
        "    \"LoggingConfig\": {\"Type\": \"File\"}\n"
        "  }\n"
        "}\n";
    eddy_hub_config cfg;
    eddy_hub_config_defaults(&cfg);
    char err[256] = "";
    int rc = eddy_hub_config_parse(&cfg, "Config.json", text, sizeof text - 1, err, sizeof err);
    if (rc) {
        printf("  %s\n", err);
    }
    EXPECT_EQ_INT(rc, 0);
    EXPECT_EQ_STR(cfg.namespace_name, "emulatorNs1");
    EXPECT_EQ_INT(cfg.ntopics, 2);
    EXPECT_EQ_STR(cfg.topics[0].name, "eh1");
    EXPECT_EQ_INT(cfg.topics[0].partitions, 2);
    EXPECT_EQ_INT(cfg.topics[0].ngroups, 1);
    EXPECT_EQ_STR(cfg.topics[0].groups[0], "cg1");
    EXPECT_EQ_INT(cfg.topics[1].partitions, 8);
    eddy_hub_config_deinit(&cfg);

    eddy_hub_config_defaults(&cfg);
    static const char bad[] = "{\"UserConfig\": {\"NamespaceConfig\": [ {\"Entities\": [ {} ] ";
    rc = eddy_hub_config_parse(&cfg, "Config.json", bad, sizeof bad - 1, err, sizeof err);
    EXPECT_EQ_INT(rc, EDDY_ERR_INVALID_CONFIG);
    EXPECT_TRUE(strstr(err, "Config.json:") != NULL);
    eddy_hub_config_deinit(&cfg);
}

TEST(value_parsers)
{
    int64_t v;
    EXPECT_EQ_INT(eddy_parse_duration_ms("500ms", &v), 0);
    EXPECT_EQ_INT(v, 500);
    EXPECT_EQ_INT(eddy_parse_duration_ms("30s", &v), 0);
    EXPECT_EQ_INT(v, 30000);
    EXPECT_EQ_INT(eddy_parse_duration_ms("7d", &v), 0);
    EXPECT_EQ_INT(v, 604800000);
    EXPECT_EQ_INT(eddy_parse_duration_ms("forever", &v), 0);
    EXPECT_EQ_INT(v, -1);
    EXPECT_TRUE(eddy_parse_duration_ms("7 days", &v) != 0);
    EXPECT_TRUE(eddy_parse_duration_ms("-5s", &v) != 0);
    EXPECT_TRUE(eddy_parse_duration_ms("99999999999999999999d", &v) != 0);
    EXPECT_EQ_INT(eddy_parse_size("1MiB", &v), 0);
    EXPECT_EQ_INT(v, 1048576);
    EXPECT_EQ_INT(eddy_parse_size("300MB", &v), 0);
    EXPECT_EQ_INT(v, 300000000);
    EXPECT_TRUE(eddy_parse_size("1.5GB", &v) != 0);
    eddy_fsync_policy p;
    EXPECT_EQ_INT(eddy_parse_fsync("never", &p, &v), 0);
    EXPECT_EQ_INT(p, EDDY_HUB_FSYNC_NEVER);
    EXPECT_TRUE(eddy_parse_fsync("interval:0", &p, &v) != 0);
    EXPECT_TRUE(eddy_hub_name_valid("tele.metry_1-x", 14));
    EXPECT_TRUE(!eddy_hub_name_valid("..", 2));
    EXPECT_TRUE(!eddy_hub_name_valid("a b", 3));
    EXPECT_TRUE(!eddy_hub_name_valid("", 0));
}

int main(void)
{
    RUN(defaults);
    RUN(own_format);
    RUN(errors_name_file_and_line);
    RUN(emulator_config_json);
    RUN(value_parsers);
    return test_summary();
}
