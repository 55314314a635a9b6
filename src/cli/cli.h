/* Shared pieces of the eddy command line: the subcommand table and a small
 * option parser that every subcommand uses, so that --help, unknown flags
 * (exit 2) and "--flag value" / "--flag=value" behave the same everywhere. */
#ifndef EDDY_CLI_CLI_H
#define EDDY_CLI_CLI_H

#include <stdbool.h>

/* Exit statuses shared by every subcommand. */
#define EDDY_EXIT_OK    0
#define EDDY_EXIT_FAIL  1
#define EDDY_EXIT_USAGE 2

typedef struct eddy_cli_opt {
    const char *name;    /* long name without dashes, e.g. "data-dir" */
    char short_name;     /* 0 for none */
    const char *metavar; /* NULL for a flag without a value */
    const char *help;
    const char **value; /* receives the value (borrowed from argv) */
    bool *flag;         /* set to true for a flag */
    /* For repeatable options: called with each value; returns 0 or prints an
     * error and returns non-zero. */
    int (*each)(const char *value, void *ctx);
    void *ctx;
} eddy_cli_opt;

typedef struct eddy_cli_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
} eddy_cli_cmd;

/* Parses argv[1..] against opts (terminated by an entry with name NULL).
 * Positional arguments are compacted to the front of argv[1..] and their
 * count stored in *npos. "--" ends options. Returns -1 to continue, or an exit
 * status: EDDY_EXIT_OK after printing help for -h/--help, EDDY_EXIT_USAGE
 * after printing a message for an unknown option or a missing value. */
int eddy_cli_parse(const char *cmd, const char *usage, const eddy_cli_opt *opts, int argc,
                   char **argv, int *npos);

/* Prints "eddy CMD: message" and a pointer to --help on stderr; returns
 * EDDY_EXIT_USAGE. */
int eddy_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The options every Kafka-client subcommand (produce, consume, hubs, groups)
 * shares, as eddy_cli_opt initializers. */
#define EDDY_CLI_OPT_BOOTSTRAP(ptr)                                                                \
    {                                                                                              \
        .name = "bootstrap", .metavar = "HOST:PORT",                                               \
        .help = "Kafka endpoint (default 127.0.0.1:9092)", .value = (ptr)                          \
    }
#define EDDY_CLI_OPT_CONNECTION_STRING(ptr)                                                        \
    {                                                                                              \
        .name = "connection-string", .metavar = "STR",                                             \
        .help = "Azure Event Hubs connection string (or $EDDY_CONNECTION_STRING)", .value = (ptr)  \
    }
/* props: the subcommand's -X list (eddy_client_props_add, client/kafka.h). */
#define EDDY_CLI_OPT_CLIENT_SET(props)                                                             \
    {                                                                                              \
        .name = "set", .short_name = 'X', .metavar = "NAME=VALUE",                                 \
        .help = "librdkafka setting (repeatable)", .each = eddy_client_props_add, .ctx = (props)   \
    }

/* Subcommands. */
int eddy_cmd_demo(int argc, char **argv);
int eddy_cmd_hub(int argc, char **argv);
int eddy_cmd_produce(int argc, char **argv);
int eddy_cmd_consume(int argc, char **argv);
int eddy_cmd_hubs(int argc, char **argv);
int eddy_cmd_groups(int argc, char **argv);
int eddy_cmd_lake(int argc, char **argv);
int eddy_cmd_query(int argc, char **argv);

#endif
