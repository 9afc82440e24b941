#ifndef HERALD_CCURL_SHIM_H
#define HERALD_CCURL_SHIM_H
#include <curl/curl.h>
#include <sys/socket.h>

/*
 * Non-variadic wrappers: Swift cannot call the variadic curl_easy_setopt / curl_easy_getinfo /
 * curl_multi_setopt / curl_share_setopt directly, so each argument type gets its own prefixed function.
 */

/* curl_easy_setopt */
static inline CURLcode herald_curl_easy_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode herald_curl_easy_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode herald_curl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode herald_curl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode herald_curl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode herald_curl_easy_setopt_share(CURL *h, CURLSH *v) {
    return curl_easy_setopt(h, CURLOPT_SHARE, v);
}

/* Callback setters: typed, so Swift passes @convention(c) functions without casts. */
typedef size_t (*herald_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef curl_socket_t (*herald_curl_opensocket_callback)(void *clientp, curlsocktype purpose,
                                                         struct curl_sockaddr *address);
typedef int (*herald_curl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                             curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode herald_curl_easy_setopt_write_callback(CURL *h, herald_curl_data_callback f) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
}
static inline CURLcode herald_curl_easy_setopt_header_callback(CURL *h, herald_curl_data_callback f) {
    return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f);
}
static inline CURLcode herald_curl_easy_setopt_opensocket_callback(CURL *h, herald_curl_opensocket_callback f) {
    return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, f);
}
static inline CURLcode herald_curl_easy_setopt_xferinfo_callback(CURL *h, herald_curl_xferinfo_callback f) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f);
}

/* curl_easy_getinfo */
static inline CURLcode herald_curl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode herald_curl_easy_getinfo_string(CURL *h, CURLINFO i, char **v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode herald_curl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode herald_curl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) {
    return curl_easy_getinfo(h, i, v);
}

/* curl_multi_setopt */
static inline CURLMcode herald_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) {
    return curl_multi_setopt(m, o, v);
}
static inline CURLMcode herald_curl_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) {
    return curl_multi_setopt(m, o, v);
}

/* curl_share_setopt */
static inline CURLSHcode herald_curl_share_setopt_long(CURLSH *s, CURLSHoption o, long v) {
    return curl_share_setopt(s, o, v);
}

/* Constants defined as macros that Swift does not import. */
static inline long herald_curl_global_all(void) { return CURL_GLOBAL_ALL; }
static inline unsigned int herald_curlu_urldecode(void) { return CURLU_URLDECODE; }
static inline unsigned int herald_curlu_default_port(void) { return CURLU_DEFAULT_PORT; }
static inline unsigned int herald_curlu_non_support_scheme(void) { return CURLU_NON_SUPPORT_SCHEME; }

/*
 * struct curl_sockaddr ends in `struct sockaddr addr`, but curl allocates room for the whole address (an IPv6
 * address is longer than struct sockaddr). Return a pointer to the field so Swift never copies a truncated value.
 */
static inline const struct sockaddr *herald_curl_sockaddr_address(const struct curl_sockaddr *a) {
    return &a->addr;
}

#endif
