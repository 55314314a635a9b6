/* Names and mappings for the eddy_err enum (see error.h). */
#include "core/error.h"

#include <errno.h>
#include <string.h>

const char *eddy_err_name(int err)
{
    switch (err) {
#define EDDY_X_KAFKA(name, value)                                                                  \
    case value:                                                                                    \
        return #name;
#define EDDY_X_INTERNAL(name, value, desc)                                                         \
    case value:                                                                                    \
        return #name;
        EDDY_KAFKA_ERRORS(EDDY_X_KAFKA)
        EDDY_INTERNAL_ERRORS(EDDY_X_INTERNAL)
#undef EDDY_X_KAFKA
#undef EDDY_X_INTERNAL
    default:
        return "UNKNOWN_CODE";
    }
}

const char *eddy_err_str(int err)
{
    switch (err) {
    case EDDY_OK:
        return "ok";
#define EDDY_X_INTERNAL(name, value, desc)                                                         \
    case value:                                                                                    \
        return desc;
        EDDY_INTERNAL_ERRORS(EDDY_X_INTERNAL)
#undef EDDY_X_INTERNAL
    default:
        /* Kafka codes are self-describing enough by name. */
        return eddy_err_name(err);
    }
}

int eddy_err_to_wire(int err)
{
    if (err >= 0) {
        return err;
    }
    switch (err) {
    case EDDY_ERR_IO:
    case EDDY_ERR_NOSPACE:
    case EDDY_ERR_FAILED:
        return EDDY_ERR_KAFKA_STORAGE_ERROR;
    case EDDY_ERR_PARSE:
    case EDDY_ERR_CORRUPT:
        return EDDY_ERR_CORRUPT_MESSAGE;
    case EDDY_ERR_LIMIT:
        return EDDY_ERR_MESSAGE_TOO_LARGE;
    default:
        return -1; /* UNKNOWN_SERVER_ERROR */
    }
}

int eddy_err_from_errno(int errnum)
{
    switch (errnum) {
    case 0:
        return EDDY_OK;
    case ENOMEM:
        return EDDY_ERR_NOMEM;
    case ENOSPC:
    case EDQUOT:
        return EDDY_ERR_NOSPACE;
    case ENOENT:
        return EDDY_ERR_NOT_FOUND;
    case EEXIST:
        return EDDY_ERR_EXISTS;
    case EAGAIN:
        return EDDY_ERR_AGAIN;
    case EINVAL:
        return EDDY_ERR_INVALID_ARG;
    default:
        return EDDY_ERR_IO;
    }
}
