#ifndef HERALD_CLIBXML2_SHIM_H
#define HERALD_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>

/* xmlFree is a global function pointer in libxml2; Swift imports it awkwardly. */
static inline void herald_xml_free(void *p) { xmlFree(p); }

/* Silence libxml2's default error printer (it writes to stderr). */
static void herald_xml_silent_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void herald_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, herald_xml_silent_error);
}
#endif
