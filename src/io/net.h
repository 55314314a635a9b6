/* Sockets: address parsing, listening and accepting, non-blocking setup. */
#ifndef EDDY_IO_NET_H
#define EDDY_IO_NET_H

#include <stdbool.h>
#include <stddef.h>

/* Splits "HOST:PORT" (or "[v6]:PORT") into host and port. Returns 0 or
 * EDDY_ERR_INVALID_ARG. host receives at most hostlen-1 chars. */
int eddy_net_split_hostport(const char *s, char *host, size_t hostlen, int *port);

/* Creates a non-blocking listening TCP socket bound to host:port. With
 * reuseport several sockets may bind the same address (one per network
 * thread; the kernel spreads connections). Returns the fd or a negative
 * eddy_err. */
int eddy_net_listen(const char *host, int port, bool reuseport, int backlog);

/* Returns the port a bound socket listens on, or -1. */
int eddy_net_local_port(int fd);

/* Accepts one connection as non-blocking, close-on-exec, TCP_NODELAY.
 * Returns the fd, -1 when none is pending (EAGAIN), or a negative eddy_err
 * below -1. */
int eddy_net_accept(int lfd);

/* Writes the peer address of a connected socket as "ip:port" into out
 * ("?" when unknown). */
void eddy_net_peer_name(int fd, char *out, size_t outlen);

#endif
