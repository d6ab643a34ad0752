// The least an idle cycle's requests can cost on this machine (scripts/bench-workspaces --floor): a bare libcurl
// client that wakes every `interval_ms`, sends the idle poll's two searches on one kept-alive connection and sleeps
// again — no parsing, no store, no runtime. Prints its own CPU (getrusage, after `warmup` cycles) per request, then
// the process CPU of a cycle's first request (the wake-up from its sleep included) and of its second, each per cycle:
// the split the daemon's `--split` figures are read against.
//
//   bench-floor BASE_URL TOKEN INTERVAL_MS CYCLES WARMUP CONTACTS_BODY CONVERSATIONS_BODY
#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static size_t count(char *data, size_t size, size_t n, void *total) {
    (void)data;
    *(size_t *)total += size * n;
    return size * n;
}

// Precise where getrusage's split into user and system time is not: the split of a cycle between its requests.
static double process_cpu_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s BASE_URL TOKEN INTERVAL_MS CYCLES WARMUP CONTACTS_BODY CONVERSATIONS_BODY\n", argv[0]);
        return 2;
    }
    const char *base = argv[1];
    int interval = atoi(argv[3]), cycles = atoi(argv[4]), warmup = atoi(argv[5]);
    const char *bodies[2] = {argv[6], argv[7]};
    char urls[2][1024], auth[1024];
    snprintf(urls[0], sizeof urls[0], "%s/contacts/search", base);
    snprintf(urls[1], sizeof urls[1], "%s/conversations/search", base);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", argv[2]);
    curl_global_init(CURL_GLOBAL_ALL);
    CURL *easy = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Intercom-Version: 2.11");
    size_t bytes[2] = {0, 0};
    double started = 0, mark = 0, spent[2] = {0, 0};
    for (int cycle = 0; cycle < warmup + cycles; cycle++) {
        if (cycle == warmup) {
            started = cpu_seconds();
            mark = process_cpu_seconds();
        }
        poll(NULL, 0, interval);
        for (int i = 0; i < 2; i++) {
            size_t total = 0;
            curl_easy_setopt(easy, CURLOPT_URL, urls[i]);
            curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, bodies[i]);
            curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, count);
            curl_easy_setopt(easy, CURLOPT_WRITEDATA, &total);
            CURLcode code = curl_easy_perform(easy);
            if (code != CURLE_OK) {
                fprintf(stderr, "request failed: %s\n", curl_easy_strerror(code));
                return 1;
            }
            bytes[i] = total;
            if (cycle >= warmup) {
                double now = process_cpu_seconds();
                spent[i] += now - mark;
                mark = now;
            }
        }
    }
    double cpu = cpu_seconds() - started;
    printf("%.1f %d %zu %zu %.1f %.1f\n", 1e6 * cpu / (2.0 * cycles), 2 * cycles, bytes[0], bytes[1],
           1e6 * spent[0] / cycles, 1e6 * spent[1] / cycles);
    return 0;
}
