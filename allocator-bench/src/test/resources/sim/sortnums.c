#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds a linked list and an array of pseudo-random numbers, sorts the array and sums both. */
struct node { struct node *next; long value; char pad[40]; };

static int cmp(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    long *a = malloc(n * sizeof *a);
    struct node *head = NULL;
    unsigned long s = 88172645463325252UL;
    for (int i = 0; i < n; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        a[i] = (long)(s % 100000);
        struct node *p = malloc(sizeof *p);
        p->value = a[i];
        memset(p->pad, i & 0xff, sizeof p->pad);
        p->next = head;
        head = p;
    }
    qsort(a, n, sizeof *a, cmp);
    long sum = 0;
    for (struct node *p = head; p; ) { struct node *q = p->next; sum += p->value; free(p); p = q; }
    for (int i = 0; i < n; i++) sum -= a[i];
    free(a);
    printf("%ld %ld\n", sum, a == NULL ? 0L : (long)n);
    return 0;
}
