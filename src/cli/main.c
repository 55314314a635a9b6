/* eddy: one binary, subcommands for each part of the pipeline.
 *
 * main() only dispatches; each subcommand lives in its own file and parses
 * its own options with eddy_cli_parse(). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const eddy_cli_cmd commands[] = {
    {"hub", "run the event hub (Kafka protocol, durable log)", eddy_cmd_hub},
    {"produce", "generate events and send them to a hub (any Kafka service)", eddy_cmd_produce},
    {"consume", "print a hub's events from earliest, latest, an offset or a time",
     eddy_cmd_consume},
    {"hubs", "create, list, describe and delete event hubs", eddy_cmd_hubs},
    {"groups", "list consumer groups and describe their lag", eddy_cmd_groups},
    {"lake", "list, print and verify captured Avro files", eddy_cmd_lake},
    {"demo", "run the whole pipeline on a local data folder", eddy_cmd_demo},
    {"query", "run SQL over files and the lake (table, jsonl or csv out)", eddy_cmd_query},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "Usage: eddy <command> [options]\n"
                 "       eddy <command> --help\n"
                 "       eddy --version\n\n"
                 "eddy is a real-time event pipeline: a Kafka-protocol event hub, capture into\n"
                 "a data lake in the Event Hubs Capture Avro format, and SQL over both.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EDDY_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (strcmp(cmd, "help") == 0 && argc > 2) {
            for (size_t i = 0; i < NCOMMANDS; i++) {
                if (strcmp(commands[i].name, argv[2]) == 0) {
                    char help[] = "--help";
                    char *hargv[] = {argv[2], help, NULL};
                    return commands[i].run(2, hargv);
                }
            }
            fprintf(stderr, "eddy: unknown command '%s'\nTry 'eddy --help'.\n", argv[2]);
            return EDDY_EXIT_USAGE;
        }
        usage(stdout);
        return EDDY_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("eddy %s\n", EDDY_VERSION);
        return EDDY_EXIT_OK;
    }
    if (cmd[0] == '-') {
        fprintf(stderr, "eddy: unknown option '%s'\nTry 'eddy --help'.\n", cmd);
        return EDDY_EXIT_USAGE;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, cmd) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "eddy: unknown command '%s'\nTry 'eddy --help'.\n", cmd);
    return EDDY_EXIT_USAGE;
}
