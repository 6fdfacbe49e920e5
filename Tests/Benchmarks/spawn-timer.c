/* Times commands as kubectl runs an exec plugin: fork and exec (posix_spawn), standard output
 * read to its end through a pipe, the child reaped. Every round runs each command once, in
 * turn, so the machine's load falls on all of them alike; prints p50, p99 and mean per command
 * in milliseconds, and the first command's median as a multiple of each other's.
 *
 *   spawn-timer ROUNDS LABEL -- COMMAND ARGS... [-- LABEL -- COMMAND ARGS...]...
 *   gcc -O2 -o spawn-timer Tests/Benchmarks/spawn-timer.c
 *
 * A command that exits non-zero or prints nothing stops the run. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct command { const char *label; char **argv; double *samples; };

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double run_once(struct command *c) {
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); exit(2); }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    double start = now_ms();
    pid_t pid;
    int error = posix_spawn(&pid, c->argv[0], &actions, NULL, c->argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (error != 0) { fprintf(stderr, "%s: cannot start %s: %s\n", c->label, c->argv[0], strerror(error)); exit(2); }
    char buffer[65536];
    ssize_t count, total = 0;
    while ((count = read(fds[0], buffer, sizeof buffer)) > 0) total += count;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    double elapsed = now_ms() - start;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || total == 0) {
        fprintf(stderr, "%s: exited with status %d after printing %zd bytes\n", c->label, WEXITSTATUS(status), total);
        exit(2);
    }
    return elapsed;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s ROUNDS LABEL -- COMMAND ARGS... [-- LABEL -- COMMAND ARGS...]...\n", argv[0]); return 2; }
    int rounds = atoi(argv[1]);
    struct command commands[16];
    int n = 0;
    for (int i = 2; i < argc && n < 16;) {
        commands[n].label = argv[i];
        if (i + 1 >= argc || strcmp(argv[i + 1], "--") != 0) { fprintf(stderr, "expected -- after %s\n", argv[i]); return 2; }
        int first = i + 2, last = first;
        while (last < argc && strcmp(argv[last], "--") != 0) last++;
        argv[last < argc ? last : argc] = NULL;
        commands[n].argv = &argv[first];
        commands[n].samples = calloc(rounds, sizeof(double));
        n++;
        i = last + 1;
    }
    for (int c = 0; c < n; c++) run_once(&commands[c]);  /* warm the page cache */
    for (int r = 0; r < rounds; r++)
        for (int c = 0; c < n; c++) commands[c].samples[r] = run_once(&commands[c]);
    printf("%d rounds, interleaved\n%-36s %9s %9s %9s %9s\n", rounds, "command", "p50 ms", "p99 ms", "mean ms", "p50 ratio");
    double base = 0;
    for (int c = 0; c < n; c++) {
        double sum = 0;
        for (int r = 0; r < rounds; r++) sum += commands[c].samples[r];
        qsort(commands[c].samples, rounds, sizeof(double), compare);
        double p50 = commands[c].samples[rounds / 2];
        double p99 = commands[c].samples[(int)(rounds * 0.99) - 1 < 0 ? 0 : (int)(rounds * 0.99) - 1];
        if (c == 0) base = p50;
        printf("%-36s %9.3f %9.3f %9.3f %8.2fx\n", commands[c].label, p50, p99, sum / rounds, p50 / base);
    }
    return 0;
}
