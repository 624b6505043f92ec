/* pool: the prefork pool. The parent owns the listening socket, forks the
 * workers and replaces any that die; SIGTERM drains (each worker finishes
 * the request in hand), SIGHUP re-reads the configuration and replaces the
 * workers one at a time so that no request fails. */
#ifndef MEDSYS_POOL_H
#define MEDSYS_POOL_H

#include <stddef.h>

struct config;
struct route;

/* The listening socket: systemd socket activation (LISTEN_FDS), else
 * listen_path (created), else fd 0 when it is a socket (spawn-fcgi).
 * Sets *created when the path was created here. -1 with a message. */
int pool_listen_socket(const char *listen_path, int *created, char *err,
                       unsigned long errlen);

/* Run the pool until SIGTERM/SIGINT. config_path is re-read on SIGHUP
 * into cfg (which workers inherit); each worker serves the nroutes rows of
 * routes (see app_init). Returns the exit status. */
int pool_run(int listen_fd, struct config *cfg, const char *config_path,
             const struct route *routes, size_t nroutes);

#endif
