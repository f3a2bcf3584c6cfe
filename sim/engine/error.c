/* The as_error record (include/asylsim/error.h). Lives in the engine library because every other
 * library links it; it knows nothing of the model. */
#include "asylsim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void as_error_clear(as_error *e)
{
    memset(e, 0, sizeof *e);
}

as_status as_error_set(as_error *e,
                       as_status code,
                       const char *file,
                       int line,
                       const char *setting,
                       const char *fmt,
                       ...)
{
    as_error_clear(e);
    e->code = code;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    snprintf(e->setting, sizeof e->setting, "%s", setting ? setting : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int as_error_format(const as_error *e, char *buf, size_t n)
{
    char where[600] = "";
    if (e->file[0] && e->line > 0) {
        snprintf(where, sizeof where, "%s:%d: ", e->file, e->line);
    } else if (e->file[0]) {
        snprintf(where, sizeof where, "%s: ", e->file);
    }
    if (e->setting[0]) {
        return snprintf(buf, n, "%s%s: %s", where, e->setting, e->msg);
    }
    return snprintf(buf, n, "%s%s", where, e->msg);
}
