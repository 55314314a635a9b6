/* The option parser shared by every subcommand (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int eddy_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "eddy %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'eddy %s --help'.\n", cmd);
    return EDDY_EXIT_USAGE;
}

static void print_help(const char *cmd, const char *usage, const eddy_cli_opt *opts)
{
    printf("%s\n\nOptions:\n", usage);
    for (const eddy_cli_opt *o = opts; o->name; o++) {
        char left[64];
        if (o->short_name) {
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
                     o->metavar ? " " : "", o->metavar ? o->metavar : "");
        } else {
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        }
        printf("  %-30s %s\n", left, o->help);
    }
    printf("  %-30s %s\n", "-h, --help", "show this help and exit");
}

static const eddy_cli_opt *find_long(const eddy_cli_opt *opts, const char *name, size_t n)
{
    for (const eddy_cli_opt *o = opts; o->name; o++) {
        if (strlen(o->name) == n && strncmp(o->name, name, n) == 0) {
            return o;
        }
    }
    return NULL;
}

static const eddy_cli_opt *find_short(const eddy_cli_opt *opts, char c)
{
    for (const eddy_cli_opt *o = opts; o->name; o++) {
        if (o->short_name == c) {
            return o;
        }
    }
    return NULL;
}

static int apply(const char *cmd, const eddy_cli_opt *o, const char *value)
{
    if (o->flag) {
        *o->flag = true;
    }
    if (o->value) {
        *o->value = value;
    }
    if (o->each && o->each(value, o->ctx)) {
        return EDDY_EXIT_USAGE;
    }
    return -1;
}

int eddy_cli_parse(const char *cmd, const char *usage, const eddy_cli_opt *opts, int argc,
                   char **argv, int *npos)
{
    int pos = 1;
    bool only_pos = false;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            argv[pos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_help(cmd, usage, opts);
            return EDDY_EXIT_OK;
        }
        const eddy_cli_opt *o;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            o = find_long(opts, name, n);
            if (!o) {
                return eddy_cli_usage_error(cmd, "unknown option '--%.*s'", (int)n, name);
            }
            if (eq) {
                if (!o->metavar) {
                    return eddy_cli_usage_error(cmd, "option '--%s' takes no value", o->name);
                }
                value = eq + 1;
            }
        } else {
            o = find_short(opts, a[1]);
            if (!o) {
                return eddy_cli_usage_error(cmd, "unknown option '-%c'", a[1]);
            }
            if (a[2]) {
                if (!o->metavar) {
                    return eddy_cli_usage_error(cmd, "option '-%c' takes no value", a[1]);
                }
                value = a + 2;
            }
        }
        if (o->metavar && !value) {
            if (i + 1 >= argc) {
                return eddy_cli_usage_error(cmd, "option '--%s' needs a value (%s)", o->name,
                                            o->metavar);
            }
            value = argv[++i];
        }
        int rc = apply(cmd, o, value);
        if (rc >= 0) {
            return rc;
        }
    }
    *npos = pos - 1;
    return -1;
}
