/* The floor for any libyaml-based merge: parse a file's every event and keep nothing.
 *
 *   gcc -O2 -o /tmp/libyaml-parse Tests/Benchmarks/libyaml-parse.c -lyaml
 *   /tmp/libyaml-parse ~/.kube/config      # prints the number of events; exit 1 on a YAML error
 *
 * Used by Tests/Benchmarks/merge-speed.sh as the "bare libyaml parse" row. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 2;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, file);
    long events = 0;
    int done = 0;
    while (!done) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s: %s\n", argv[1], parser.problem ? parser.problem : "parse error");
            return 1;
        }
        done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
    }
    yaml_parser_delete(&parser);
    fclose(file);
    printf("%ld\n", events);
    return 0;
}
