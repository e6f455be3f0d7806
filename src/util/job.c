/* job.c — see job.h. */
#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *run(void *p)
{
	ms_job *j = p;
	j->rc = j->fn(j->arg);
	return NULL;
}

int ms_threads_allowed(void)
{
	const char *env = getenv("MSPDOC_THREADS");
	return !(env && !strcmp(env, "1"));
}

int ms_job_try_start(ms_job *j, int (*fn)(void *), void *arg)
{
	j->fn = fn;
	j->arg = arg;
	j->rc = 0;
	j->threaded = ms_threads_allowed() && pthread_create(&j->thread, NULL, run, j) == 0;
	return j->threaded ? 0 : -1;
}

void ms_job_start(ms_job *j, int (*fn)(void *), void *arg)
{
	if (ms_job_try_start(j, fn, arg) < 0)
		run(j);
}

int ms_job_join(ms_job *j)
{
	if (j->threaded) {
		pthread_join(j->thread, NULL);
		j->threaded = 0;
	}
	return j->rc;
}

/* The replaced files' closers: detached threads, counted so that
 * ms_replace_wait can wait for them. */
static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	int running;
} closers = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

static void *close_thread(void *p)
{
	close((int)(intptr_t)p);
	pthread_mutex_lock(&closers.m);
	closers.running--;
	pthread_cond_broadcast(&closers.c);
	pthread_mutex_unlock(&closers.m);
	return NULL;
}

int ms_replace(const char *tmp, const char *path)
{
	/* non-blocking: a FIFO at path must not hold the run up */
	int old = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int rc = rename(tmp, path), err = errno;
	if (old >= 0 && ms_threads_allowed()) {
		pthread_attr_t at;
		pthread_t t;
		pthread_mutex_lock(&closers.m);
		closers.running++;
		pthread_mutex_unlock(&closers.m);
		int started = pthread_attr_init(&at) == 0 &&
		              pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED) == 0 &&
		              pthread_create(&t, &at, close_thread, (void *)(intptr_t)old) == 0;
		pthread_attr_destroy(&at);
		if (started) {
			old = -1;
		} else {
			pthread_mutex_lock(&closers.m);
			closers.running--;
			pthread_mutex_unlock(&closers.m);
		}
	}
	if (old >= 0)
		close(old); /* no thread: here, as rename would have */
	errno = err;
	return rc;
}

void ms_replace_wait(void)
{
	pthread_mutex_lock(&closers.m);
	while (closers.running)
		pthread_cond_wait(&closers.c, &closers.m);
	pthread_mutex_unlock(&closers.m);
}
