/* The C reference pages for `make bench`: libfcgi + libpq, a pool of threads each blocking in
 * FCGX_Accept_r with its own PostgreSQL connection (opened on first use, each statement prepared
 * once on it). /bench/ref/NAME replays the statements Herald's page NAME ran, in order, with the
 * same parameters (PLAN_DIR/NAME.plan, captured from PostgreSQL's log by bench/plan.py), and writes
 * that page's body (PLAN_DIR/NAME.body) with Herald's headers: the same database work and the same
 * bytes, with nothing else around them. A parameter captured as the hash of the bench session's
 * cookie is computed from the request's cookie (SHA-256, libsodium) instead; when the statement
 * that binds it finds no row, the answer is a redirect to /login, as Herald's would be.
 * Build: cc -O2 bench/reference.c -lfcgi -lpq -lsodium -lpthread -I$(pg_config --includedir)
 * Run:   ./reference SOCKET_PATH THREADS CONNINFO PLAN_DIR NAME... */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PAGES 8
#define MAX_STATEMENTS 64
#define MAX_PARAMS 32
#define COOKIE_MARK "\x01session-cookie-hash"

struct statement {
    char *sql;
    int nparams;
    char *params[MAX_PARAMS]; /* NULL: SQL NULL */
    int cookie_param;         /* index of the cookie-hash parameter, or -1 */
};

struct page {
    char name[64];
    int nstatements;
    struct statement statements[MAX_STATEMENTS];
    char *body;
    size_t body_length;
};

static struct page pages[MAX_PAGES];
static int npages;
static int listen_fd;
static const char *conninfo;

static const char headers[] =
    "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
    "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n"
    "Content-Security-Policy: default-src 'self'; img-src 'self' data:; object-src 'none'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'\r\n\r\n";
static const char redirect[] = "Status: 303 See Other\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n";

static char *slurp(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc(n + 1);
    if (fread(data, 1, n, f) != (size_t)n) { perror(path); exit(1); }
    data[n] = 0;
    fclose(f);
    if (length) *length = n;
    return data;
}

/* A plan: "<count>\n", then per statement "<length>\n<sql>\n<nparams>\n" and per parameter
 * "<length>\n<bytes>\n" (length -1: NULL, no bytes line). */
static long next_number(char **cursor) {
    char *end;
    long n = strtol(*cursor, &end, 10);
    *cursor = end + 1;
    return n;
}

static char *next_bytes(char **cursor, long length) {
    char *bytes = malloc(length + 1);
    memcpy(bytes, *cursor, length);
    bytes[length] = 0;
    *cursor += length + 1;
    return bytes;
}

static void load(const char *dir, const char *name) {
    struct page *p = &pages[npages++];
    char path[4096];
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(path, sizeof path, "%s/%s.body", dir, name);
    p->body = slurp(path, &p->body_length);
    snprintf(path, sizeof path, "%s/%s.plan", dir, name);
    char *plan = slurp(path, NULL), *cursor = plan;
    p->nstatements = (int)next_number(&cursor);
    if (p->nstatements > MAX_STATEMENTS) { fprintf(stderr, "%s: too many statements\n", path); exit(1); }
    for (int i = 0; i < p->nstatements; i++) {
        struct statement *s = &p->statements[i];
        s->sql = next_bytes(&cursor, next_number(&cursor));
        s->nparams = (int)next_number(&cursor);
        s->cookie_param = -1;
        if (s->nparams > MAX_PARAMS) { fprintf(stderr, "%s: too many parameters\n", path); exit(1); }
        for (int j = 0; j < s->nparams; j++) {
            long length = next_number(&cursor);
            s->params[j] = length < 0 ? NULL : next_bytes(&cursor, length);
            if (s->params[j] && strcmp(s->params[j], COOKIE_MARK) == 0) s->cookie_param = j;
        }
    }
    free(plan);
}

/* "\x" and the hex SHA-256 of the __Host-herald_session cookie's value; empty when there is none. */
static void cookie_hash(const char *cookies, char out[67]) {
    out[0] = 0;
    const char *name = "__Host-herald_session=";
    const char *at = cookies ? strstr(cookies, name) : NULL;
    if (!at) return;
    at += strlen(name);
    size_t length = strcspn(at, ";");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)at, length);
    out[0] = '\\';
    out[1] = 'x';
    sodium_bin2hex(out + 2, 65, digest, sizeof digest);
}

static void *serve(void *unused) {
    (void)unused;
    FCGX_Request req;
    FCGX_InitRequest(&req, listen_fd, 0);
    PGconn *db = NULL;
    char prepared[MAX_PAGES][MAX_STATEMENTS] = {{0}};
    while (FCGX_Accept_r(&req) >= 0) {
        const char *uri = FCGX_GetParam("DOCUMENT_URI", req.envp);
        const char *name = uri && strncmp(uri, "/bench/ref/", 11) == 0 ? uri + 11 : "";
        int index = -1;
        for (int i = 0; i < npages; i++) if (strcmp(pages[i].name, name) == 0) index = i;
        if (index < 0) {
            FCGX_FPrintF(req.out, "Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such page\n");
            FCGX_Finish_r(&req);
            continue;
        }
        if (!db || PQstatus(db) != CONNECTION_OK) {
            if (db) PQfinish(db);
            db = PQconnectdb(conninfo);
            memset(prepared, 0, sizeof prepared);
        }
        struct page *p = &pages[index];
        char hash[67];
        cookie_hash(FCGX_GetParam("HTTP_COOKIE", req.envp), hash);
        int ok = 1, found = 1;
        for (int i = 0; i < p->nstatements && ok; i++) {
            struct statement *s = &p->statements[i];
            char statement_name[32];
            snprintf(statement_name, sizeof statement_name, "r%d_%d", index, i);
            if (!prepared[index][i]) {
                PGresult *r = PQprepare(db, statement_name, s->sql, s->nparams, NULL);
                ok = PQresultStatus(r) == PGRES_COMMAND_OK;
                if (!ok) fprintf(stderr, "prepare %s: %s", p->name, PQerrorMessage(db));
                PQclear(r);
                prepared[index][i] = (char)ok;
                if (!ok) break;
            }
            const char *values[MAX_PARAMS];
            for (int j = 0; j < s->nparams; j++) values[j] = j == s->cookie_param ? hash : s->params[j];
            PGresult *r = PQexecPrepared(db, statement_name, s->nparams, values, NULL, NULL, 0);
            ExecStatusType status = PQresultStatus(r);
            ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
            if (!ok) fprintf(stderr, "execute %s #%d: %s", p->name, i, PQerrorMessage(db));
            if (s->cookie_param >= 0 && status == PGRES_TUPLES_OK && PQntuples(r) == 0) found = 0;
            PQclear(r);
        }
        if (!ok) {
            PGresult *r = PQexec(db, "ROLLBACK");
            PQclear(r);
            FCGX_FPrintF(req.out, "Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nquery failed\n");
        } else if (!found) {
            FCGX_PutStr(redirect, sizeof redirect - 1, req.out);
        } else {
            FCGX_PutStr(headers, sizeof headers - 1, req.out);
            FCGX_PutStr(p->body, (int)p->body_length, req.out);
        }
        FCGX_Finish_r(&req);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: %s SOCKET_PATH THREADS CONNINFO PLAN_DIR NAME...\n", argv[0]);
        return 2;
    }
    if (sodium_init() < 0) return 1;
    int threads = atoi(argv[2]);
    conninfo = argv[3];
    for (int i = 5; i < argc && npages < MAX_PAGES; i++) load(argv[4], argv[i]);
    unlink(argv[1]);
    if (FCGX_Init() != 0 || (listen_fd = FCGX_OpenSocket(argv[1], 1024)) < 0) { perror("reference: socket"); return 1; }
    chmod(argv[1], 0660);
    pthread_t tid;
    for (int i = 1; i < threads; i++) pthread_create(&tid, NULL, serve, NULL);
    serve(NULL);
    return 0;
}
