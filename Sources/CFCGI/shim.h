#ifndef HERALD_CFCGI_SHIM_H
#define HERALD_CFCGI_SHIM_H
#include <fcgiapp.h>
#include <fcntl.h>
#include <sys/socket.h>

// accept4 and pipe2 are GNU extensions that Swift's Glibc module does not show; the FastCGI loop needs
// both so that no descriptor leaks into a child (sendmail) started between creating and flagging it.
int accept4(int, struct sockaddr *, socklen_t *, int);
int pipe2(int[2], int);

static inline int herald_accept_cloexec(int listen_fd) { return accept4(listen_fd, 0, 0, SOCK_CLOEXEC); }
static inline int herald_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
#endif
