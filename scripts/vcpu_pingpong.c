// How far apart the machine's CPUs 0 and 1 are: two threads pinned to them bounce an atomic flag,
// and each repetition prints the mean round trip in ns, two seconds apart. On the 2-vCPU Zen 4 hosts it
// reads 58-87 ns for a while, then 333-365 ns (no shared cache), which is when batch-1 solving takes
// 2.1-2.3 ms instead of 1.4-1.6 (docs/performance.md, "Why one-image solving is 1.6 ms in one run and 2.4 in the next"). Run it with nothing else
// busy:  gcc -O2 -pthread scripts/vcpu_pingpong.c -o /tmp/pingpong && /tmp/pingpong 20
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Atomic int flag __attribute__((aligned(64)));
static const int ROUNDS = 200000;

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *answer(void *unused) {
    (void) unused;
    pin(1);
    for (int i = 0; i < ROUNDS; i++) {
        while (atomic_load_explicit(&flag, memory_order_acquire) != 1) {
        }
        atomic_store_explicit(&flag, 0, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 10;
    pin(0);
    for (int r = 0; r < reps; r++) {
        pthread_t other;
        atomic_store(&flag, 0);
        pthread_create(&other, NULL, answer, NULL);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (int i = 0; i < ROUNDS; i++) {
            atomic_store_explicit(&flag, 1, memory_order_release);
            while (atomic_load_explicit(&flag, memory_order_acquire) != 0) {
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        pthread_join(other, NULL);
        printf("%.0f ", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / ROUNDS);
        fflush(stdout);
        struct timespec pause = {2, 0};
        nanosleep(&pause, NULL);
    }
    printf("\n");
    return 0;
}
