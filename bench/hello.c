/* The C baseline for `make bench`: a minimal libfcgi program answering a small HTML page on its
 * own unix socket, with a pool of threads each blocking in FCGX_Accept_r (as Herald's programs do).
 * Build: cc -O2 bench/hello.c -lfcgi -lpthread -o hello;  run: ./hello SOCKET_PATH [THREADS] */
#include <fcgiapp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int listen_fd;

static const char page[] =
    "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hello</title></head>"
    "<body><h1>Hello from C</h1></body></html>\n";

static void *serve(void *unused) {
    (void)unused;
    FCGX_Request req;  /* lives on this thread's stack for the thread's whole life: never moves */
    FCGX_InitRequest(&req, listen_fd, 0);
    while (FCGX_Accept_r(&req) >= 0) {
        FCGX_PutStr(page, sizeof page - 1, req.out);
        FCGX_Finish_r(&req);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s SOCKET_PATH [THREADS]\n", argv[0]); return 2; }
    int threads = argc > 2 ? atoi(argv[2]) : 64;
    unlink(argv[1]);
    if (FCGX_Init() != 0 || (listen_fd = FCGX_OpenSocket(argv[1], 1024)) < 0) { perror("hello: socket"); return 1; }
    chmod(argv[1], 0660);
    pthread_t tid;
    for (int i = 1; i < threads; i++) pthread_create(&tid, NULL, serve, NULL);
    serve(NULL);
    return 0;
}
