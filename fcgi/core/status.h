/* status: the HTTP statuses the pipeline answers with. */
#ifndef MEDSYS_STATUS_H
#define MEDSYS_STATUS_H

enum http_status {
	HTTP_OK = 200,
	HTTP_NO_CONTENT = 204,
	HTTP_SEE_OTHER = 303,
	HTTP_NOT_MODIFIED = 304,
	HTTP_BAD_REQUEST = 400,
	HTTP_FORBIDDEN = 403,
	HTTP_NOT_FOUND = 404,
	HTTP_METHOD_NOT_ALLOWED = 405,
	HTTP_CONFLICT = 409,
	HTTP_PAYLOAD_TOO_LARGE = 413,
	HTTP_UNSUPPORTED_MEDIA_TYPE = 415,
	HTTP_INTERNAL_ERROR = 500,
	HTTP_UNAVAILABLE = 503
};

/* The reason phrase for a status ("Not Found"); "Unknown" otherwise. */
const char *http_status_reason(enum http_status st);

#endif
