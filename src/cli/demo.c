/* eddy demo: the whole pipeline on a local data folder.
 *
 * The demo grows with the project: each part, once built, joins it. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/crc.h"

int eddy_cmd_demo(int argc, char **argv)
{
    const char *data_dir = "./eddy-data";
    eddy_cli_opt opts[] = {
        {.name = "data-dir",
         .metavar = "DIR",
         .help = "data folder for the demo (default ./eddy-data)",
         .value = &data_dir},
        {.name = NULL},
    };
    int npos = 0;
    int rc = eddy_cli_parse("demo",
                            "Usage: eddy demo [--data-dir DIR]\n\n"
                            "Runs the whole pipeline on a local data folder.",
                            opts, argc, argv, &npos);
    if (rc >= 0) {
        return rc;
    }
    if (npos > 0) {
        return eddy_cli_usage_error("demo", "unexpected argument '%s'", argv[1]);
    }
    printf("eddy demo (data folder %s)\n", data_dir);
    printf("  core: CRC-32C %s\n", eddy_crc32c_hw_available() ? "SSE4.2" : "table");
    printf("  the hub, capture, generator and queries join the demo as they are built\n");
    return EDDY_EXIT_OK;
}
