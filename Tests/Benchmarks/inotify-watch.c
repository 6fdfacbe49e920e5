/* Timestamps what happens to the files of one directory, for the lock and write benchmarks.
 *
 *   gcc -O2 -o /tmp/inotify-watch Tests/Benchmarks/inotify-watch.c
 *   /tmp/inotify-watch DIR > events.txt &      # until SIGTERM or SIGINT
 *
 * One line per event: CLOCK_MONOTONIC nanoseconds, the event (CREATE, DELETE, MOVED_TO) and the
 * file name, e.g. "81234567890123 CREATE config.lock". A blocking read returns at each event, so
 * with the watcher at a real-time priority (chrt -f 50) the stamps trail the system calls by
 * microseconds; events that arrive together share a stamp, which only makes a hold time look
 * shorter than 1 read. Output is flushed per read, so a killed watcher loses nothing written. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop = 0;
static void on_signal(int signal) { (void)signal; stop = 1; }

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    struct sigaction action = {0};
    action.sa_handler = on_signal;  /* no SA_RESTART: read() returns EINTR and the loop ends */
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    int fd = inotify_init1(0);
    if (fd < 0 || inotify_add_watch(fd, argv[1], IN_CREATE | IN_DELETE | IN_MOVED_TO) < 0) {
        perror(argv[1]);
        return 1;
    }
    fprintf(stderr, "watching %s\n", argv[1]);
    char buffer[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (!stop) {
        ssize_t length = read(fd, buffer, sizeof buffer);
        if (length <= 0) break;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long stamp = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
        for (char *p = buffer; p < buffer + length;) {
            struct inotify_event *event = (struct inotify_event *)p;
            const char *what = event->mask & IN_CREATE ? "CREATE" : event->mask & IN_DELETE ? "DELETE"
                             : event->mask & IN_MOVED_TO ? "MOVED_TO" : "OTHER";
            printf("%lld %s %s\n", stamp, what, event->len ? event->name : "");
            p += sizeof(struct inotify_event) + event->len;
        }
        fflush(stdout);
    }
    return 0;
}
