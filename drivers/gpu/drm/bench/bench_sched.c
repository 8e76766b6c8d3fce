// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Benchmarks of the DRM GPU scheduler's public interface.
 *
 * Only the interface that drivers use is touched, so this file builds
 * against any scheduler with the 6.12.117 API: `make bench` runs it on the
 * base tree's scheduler and on the project's, and compares. Each result is
 * printed as one line
 *
 *   bench <workload> n=<N> ns=<median ns per op> [extra=value ...]
 *
 * which the comparison script reads. Times come from ktime_get(); a case
 * repeats its measurement and reports the median. Nothing is asserted
 * about speed: the figures are for people to read.
 */

#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>

#include <kunit/test.h>

#include <drm/gpu_scheduler.h>

#include "bench.h"

#define BENCH_MAX_REPS		7
/* Latencies are single events on a coarse clock: take more of them. */
#define BENCH_LAT_REPS		31
#define BENCH_WAIT		(10 * HZ)

/* Sizes of the workloads; bigger ones only where the slow path allows. */
static const unsigned int bench_sizes[] = { 4, 64, 1000, 10000, 100000 };

/* A budget of fence operations per case, to keep quadratic paths sane. */
#define BENCH_BUDGET		20000000ULL

/* Stub fences, one lock per context as dma_fence asks. */
struct bench_timeline {
	spinlock_t lock; /* the fences of this context */
	u64 context;
	u64 seqno;
};

static const char *bench_fence_name(struct dma_fence *f)
{
	return "bench";
}

static const struct dma_fence_ops bench_fence_ops = {
	.get_driver_name = bench_fence_name,
	.get_timeline_name = bench_fence_name,
};

static struct bench_timeline *bench_timelines(struct kunit *test, unsigned int n)
{
	struct bench_timeline *tl;
	u64 base = dma_fence_context_alloc(n);
	unsigned int i;

	tl = kvcalloc(n, sizeof(*tl), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tl);
	for (i = 0; i < n; i++) {
		spin_lock_init(&tl[i].lock);
		tl[i].context = base + i;
	}
	return tl;
}

static struct dma_fence *bench_fence(struct bench_timeline *tl)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (f)
		dma_fence_init(f, &bench_fence_ops, &tl->lock, tl->context, ++tl->seqno);
	return f;
}

static void bench_put_all(struct dma_fence **fences, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!dma_fence_is_signaled(fences[i]))
			dma_fence_signal(fences[i]);
		dma_fence_put(fences[i]);
	}
	kvfree(fences);
}

/* The mock ring: run_job stamps the time, jobs finish at once. */
struct bench_sched {
	struct drm_gpu_scheduler base;
	ktime_t last_run;
	atomic_t runs;
	atomic_t freed;
	wait_queue_head_t wq;
};

struct bench_job {
	struct drm_sched_job base;
	struct bench_sched *sched;
};

static struct dma_fence *bench_run_job(struct drm_sched_job *job)
{
	struct bench_sched *s = container_of(job->sched, struct bench_sched, base);

	s->last_run = ktime_get();
	atomic_inc(&s->runs);
	wake_up_all(&s->wq);
	return NULL;
}

static void bench_free_job(struct drm_sched_job *job)
{
	struct bench_job *bj = container_of(job, struct bench_job, base);

	drm_sched_job_cleanup(job);
	atomic_inc(&bj->sched->freed);
	wake_up_all(&bj->sched->wq);
	kfree(bj);
}

static enum drm_gpu_sched_stat bench_timedout_job(struct drm_sched_job *job)
{
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static const struct drm_sched_backend_ops bench_ops = {
	.run_job = bench_run_job,
	.free_job = bench_free_job,
	.timedout_job = bench_timedout_job,
};

static void bench_sched_fini(void *data)
{
	struct bench_sched *s = data;

	drm_sched_fini(&s->base);
}

static struct bench_sched *bench_sched_new(struct kunit *test, u32 credits)
{
	struct drm_sched_init_args args = {
		.ops = &bench_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = credits,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "bench",
	};
	struct bench_sched *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	init_waitqueue_head(&s->wq);
	KUNIT_ASSERT_EQ(test, drm_sched_init(&s->base, &args), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bench_sched_fini, s), 0);
	return s;
}

static void bench_entity_fini(void *data)
{
	drm_sched_entity_destroy(data);
}

static struct drm_sched_entity *bench_entity_new(struct kunit *test,
						 struct bench_sched *s)
{
	struct drm_gpu_scheduler *list = &s->base;
	struct drm_sched_entity *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_EQ(test, drm_sched_entity_init(e, DRM_SCHED_PRIORITY_NORMAL,
						    &list, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bench_entity_fini, e), 0);
	return e;
}

static struct bench_job *bench_job_new(struct kunit *test, struct bench_sched *s,
				       struct drm_sched_entity *e)
{
	struct bench_job *job = kzalloc(sizeof(*job), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, job);
	job->sched = s;
	KUNIT_ASSERT_EQ(test, drm_sched_job_init(&job->base, e, 1, NULL, 0), 0);
	return job;
}

/* How often to repeat a case whose cost grows like @work operations. */
static unsigned int bench_reps(u64 work)
{
	if (work > BENCH_BUDGET / 2)
		return 1;
	if (work > BENCH_BUDGET / 8)
		return 3;
	return BENCH_MAX_REPS;
}

/*
 * Jobs timed together for a size: the clock is coarse (UML steps by
 * hundreds of ns), so small sizes are measured over a batch of jobs.
 */
static unsigned int bench_batch(unsigned int n)
{
	return max(1u, 4096 / n);
}

struct bench_deps_param {
	const char *name;
	unsigned int ctx_div;	/* contexts = n / ctx_div, at least 1 */
};

static const struct bench_deps_param bench_deps_params[] = {
	{ "add_dependency_ctx_n_div_10", 10 },
	{ "add_dependency_ctx_n", 1 },
};

static void bench_deps_desc(const struct bench_deps_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bench_deps, bench_deps_params, bench_deps_desc);

/*
 * N fences over N/10 (or N) contexts are added to one job; the cost per
 * add is what a submission with many BOs pays. A scan of the stored
 * fences per add is quadratic in N, a lookup by context is not.
 */
static void bench_add_dependency(struct kunit *test)
{
	const struct bench_deps_param *p = test->param_value;
	struct bench_sched *s = bench_sched_new(test, 64);
	struct drm_sched_entity *e = bench_entity_new(test, s);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(bench_sizes); k++) {
		unsigned int n = bench_sizes[k];
		unsigned int nctx = max(1u, n / p->ctx_div);
		u64 work = (u64)n * min(n, nctx) * bench_batch(n);
		u64 times[BENCH_MAX_REPS];
		unsigned int r, reps, i;

		/* A per-add scan of 100k contexts would run for minutes. */
		if (work > 4 * BENCH_BUDGET * 64 && p->ctx_div == 1)
			continue;
		reps = bench_reps(work);

		for (r = 0; r < reps; r++) {
			struct bench_timeline *tl = bench_timelines(test, nctx);
			unsigned int b, batch = bench_batch(n);
			struct dma_fence **fences;
			struct bench_job **jobs;
			ktime_t t0;

			fences = kvcalloc(n, sizeof(*fences), GFP_KERNEL);
			jobs = kcalloc(batch, sizeof(*jobs), GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, fences);
			KUNIT_ASSERT_NOT_NULL(test, jobs);
			for (i = 0; i < n; i++) {
				fences[i] = bench_fence(&tl[i % nctx]);
				KUNIT_ASSERT_NOT_NULL(test, fences[i]);
				/* One reference for each add, which consumes it. */
				for (b = 0; b < batch; b++)
					dma_fence_get(fences[i]);
			}
			for (b = 0; b < batch; b++)
				jobs[b] = bench_job_new(test, s, e);

			t0 = ktime_get();
			for (b = 0; b < batch; b++)
				for (i = 0; i < n; i++)
					drm_sched_job_add_dependency(&jobs[b]->base, fences[i]);
			times[r] = div_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), batch);

			for (b = 0; b < batch; b++) {
				drm_sched_job_cleanup(&jobs[b]->base);
				kfree(jobs[b]);
			}
			kfree(jobs);
			bench_put_all(fences, n);
			kvfree(tl);
		}
		bench_report(test, p->name, n, div_u64(bench_median(times, reps), n), NULL);
	}
}

/*
 * A reservation object holding N fences (N contexts, as a resv keeps one
 * per context) is added with drm_sched_job_add_resv_dependencies().
 */
static void bench_add_resv(struct kunit *test)
{
	struct bench_sched *s = bench_sched_new(test, 64);
	struct drm_sched_entity *e = bench_entity_new(test, s);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(bench_sizes); k++) {
		unsigned int n = bench_sizes[k];
		u64 work = (u64)n * n * bench_batch(n), times[BENCH_MAX_REPS];
		struct bench_timeline *tl;
		struct dma_fence **fences;
		unsigned int r, reps, i;
		struct dma_resv resv;

		if (work > 4 * BENCH_BUDGET * 64)
			continue;
		reps = bench_reps(work);

		tl = bench_timelines(test, n);
		fences = kvcalloc(n, sizeof(*fences), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fences);
		dma_resv_init(&resv);
		dma_resv_lock(&resv, NULL);
		KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(&resv, n), 0);
		for (i = 0; i < n; i++) {
			fences[i] = bench_fence(&tl[i]);
			KUNIT_ASSERT_NOT_NULL(test, fences[i]);
			dma_resv_add_fence(&resv, fences[i], DMA_RESV_USAGE_READ);
		}

		for (r = 0; r < reps; r++) {
			unsigned int b, batch = bench_batch(n);
			struct bench_job **jobs = kcalloc(batch, sizeof(*jobs), GFP_KERNEL);
			ktime_t t0;
			int ret = 0;

			KUNIT_ASSERT_NOT_NULL(test, jobs);
			for (b = 0; b < batch; b++)
				jobs[b] = bench_job_new(test, s, e);
			t0 = ktime_get();
			for (b = 0; b < batch; b++)
				ret |= drm_sched_job_add_resv_dependencies(&jobs[b]->base, &resv,
									   DMA_RESV_USAGE_READ);
			times[r] = div_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), batch);
			KUNIT_EXPECT_EQ(test, ret, 0);
			for (b = 0; b < batch; b++) {
				drm_sched_job_cleanup(&jobs[b]->base);
				kfree(jobs[b]);
			}
			kfree(jobs);
		}
		dma_resv_unlock(&resv);

		bench_put_all(fences, n);
		dma_resv_fini(&resv);
		kvfree(tl);
		bench_report(test, "add_resv_dependencies", n,
			     div_u64(bench_median(times, reps), n), NULL);
	}
}

/*
 * A job waits for N unsignalled fences; all of them signal back to back.
 * Measured: the time from the last signal to run_job.
 */
static void bench_resolution_latency(struct kunit *test)
{
	struct bench_sched *s = bench_sched_new(test, 64);
	struct drm_sched_entity *e = bench_entity_new(test, s);
	static const unsigned int sizes[] = { 1, 4, 64, 1000 };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		unsigned int n = sizes[k], r, i;
		u64 times[BENCH_LAT_REPS];

		for (r = 0; r < BENCH_LAT_REPS; r++) {
			struct bench_timeline *tl = bench_timelines(test, n);
			struct dma_fence **fences;
			struct bench_job *job;
			int runs = atomic_read(&s->runs);
			ktime_t last;

			fences = kvcalloc(n, sizeof(*fences), GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, fences);
			job = bench_job_new(test, s, e);
			for (i = 0; i < n; i++) {
				fences[i] = bench_fence(&tl[i]);
				KUNIT_ASSERT_NOT_NULL(test, fences[i]);
				drm_sched_job_add_dependency(&job->base, dma_fence_get(fences[i]));
			}
			drm_sched_job_arm(&job->base);
			drm_sched_entity_push_job(&job->base);
			/* Let the scheduler look at the job and start waiting. */
			usleep_range(5000, 6000);

			for (i = 0; i < n; i++)
				dma_fence_signal(fences[i]);
			last = ktime_get();
			KUNIT_ASSERT_TRUE(test, wait_event_timeout(s->wq,
								   atomic_read(&s->runs) > runs,
								   BENCH_WAIT));
			times[r] = ktime_to_ns(ktime_sub(s->last_run, last));
			bench_put_all(fences, n);
			kvfree(tl);
		}
		bench_report(test, "resolution_latency", n,
			     bench_median(times, BENCH_LAT_REPS), NULL);
	}
}

struct bench_submit_param {
	const char *name;
	unsigned int entities;
};

static const struct bench_submit_param bench_submit_params[] = {
	{ "submit_1_entity", 1 },
	{ "submit_8_entities", 8 },
};

static void bench_submit_desc(const struct bench_submit_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bench_submit, bench_submit_params, bench_submit_desc);

static unsigned long bench_slab_bytes(void)
{
	return global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) * PAGE_SIZE +
	       global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) * PAGE_SIZE;
}

/*
 * N jobs without dependencies go through one or eight entities; the run
 * and free workers keep up as they can. Reported: ns per job from the
 * first push to the last free, and the slab memory a queued job costs.
 */
static void bench_submit(struct kunit *test)
{
	const struct bench_submit_param *p = test->param_value;
	static const unsigned int sizes[] = { 64, 1000, 10000 };
	struct bench_sched *s = bench_sched_new(test, 1024);
	struct drm_sched_entity *ents[8];
	unsigned int k, i;

	for (i = 0; i < p->entities; i++)
		ents[i] = bench_entity_new(test, s);

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		unsigned int n = sizes[k], r;
		u64 times[BENCH_MAX_REPS], mem[BENCH_MAX_REPS];
		char extra[64];

		for (r = 0; r < BENCH_MAX_REPS; r++) {
			int freed = atomic_read(&s->freed);
			unsigned long before;
			long done;
			ktime_t t0;

			/* Memory of queued jobs: pushed while the workers wait. */
			drm_sched_wqueue_stop(&s->base);
			before = bench_slab_bytes();
			t0 = ktime_get();
			for (i = 0; i < n; i++) {
				struct drm_sched_entity *ent = ents[i % p->entities];
				struct bench_job *job = bench_job_new(test, s, ent);

				drm_sched_job_arm(&job->base);
				drm_sched_entity_push_job(&job->base);
			}
			mem[r] = (bench_slab_bytes() - before) / n;
			drm_sched_wqueue_start(&s->base);
			done = wait_event_timeout(s->wq, atomic_read(&s->freed) - freed >= n,
						  BENCH_WAIT * 6);
			KUNIT_ASSERT_TRUE(test, done);
			times[r] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		}
		snprintf(extra, sizeof(extra), "bytes_per_job=%llu",
			 bench_median(mem, BENCH_MAX_REPS));
		bench_report(test, p->name, n,
			     div_u64(bench_median(times, BENCH_MAX_REPS), n), extra);
	}
}

struct bench_floor {
	struct work_struct work;
	struct dma_fence_cb cb;
	struct workqueue_struct *wq;
	ktime_t ran;
	struct completion done;
};

static void bench_floor_work(struct work_struct *work)
{
	struct bench_floor *f = container_of(work, struct bench_floor, work);

	f->ran = ktime_get();
	complete(&f->done);
}

static void bench_floor_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct bench_floor *f = container_of(cb, struct bench_floor, cb);

	queue_work(f->wq, &f->work);
}

/* One fence signal whose callback queues a work item on @wq, timed. */
static u64 bench_floor_once(struct kunit *test, struct workqueue_struct *wq)
{
	struct bench_timeline *tl = bench_timelines(test, 1);
	struct dma_fence *fence = bench_fence(tl);
	struct bench_floor f = { .wq = wq };
	ktime_t last;

	KUNIT_ASSERT_NOT_NULL(test, fence);
	INIT_WORK_ONSTACK(&f.work, bench_floor_work);
	init_completion(&f.done);
	KUNIT_ASSERT_EQ(test, dma_fence_add_callback(fence, &f.cb, bench_floor_cb), 0);
	dma_fence_signal(fence);
	last = ktime_get();
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&f.done, BENCH_WAIT));
	flush_work(&f.work);
	destroy_work_on_stack(&f.work);
	dma_fence_put(fence);
	kvfree(tl);
	return ktime_to_ns(ktime_sub(f.ran, last));
}

static void bench_floor_wq_destroy(void *wq)
{
	destroy_workqueue(wq);
}

/*
 * The floor under the resolution latency, measured the same way: the time
 * from a fence signal to a work item its callback queued. Once on the
 * system workqueue and once on an ordered workqueue of its own, which is
 * what a scheduler gets when its driver passes no submit_wq.
 */
static void bench_floor(struct kunit *test)
{
	struct workqueue_struct *ordered;
	u64 times[BENCH_LAT_REPS];
	unsigned int r;

	ordered = alloc_ordered_workqueue("drm-sched-bench", WQ_MEM_RECLAIM);
	KUNIT_ASSERT_NOT_NULL(test, ordered);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bench_floor_wq_destroy,
							ordered), 0);

	for (r = 0; r < BENCH_LAT_REPS; r++)
		times[r] = bench_floor_once(test, system_wq);
	bench_report(test, "floor_signal_plus_work", 1,
		     bench_median(times, BENCH_LAT_REPS), NULL);

	for (r = 0; r < BENCH_LAT_REPS; r++)
		times[r] = bench_floor_once(test, ordered);
	bench_report(test, "floor_signal_plus_ordered_work", 1,
		     bench_median(times, BENCH_LAT_REPS), NULL);
}

static struct kunit_case bench_sched_cases[] = {
	KUNIT_CASE_PARAM_ATTR(bench_add_dependency, bench_deps_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(bench_add_resv),
	KUNIT_CASE_SLOW(bench_resolution_latency),
	KUNIT_CASE_PARAM_ATTR(bench_submit, bench_submit_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(bench_floor),
	{}
};

static struct kunit_suite bench_sched_suite = {
	.name = "drm_sched_bench",
	.test_cases = bench_sched_cases,
};

kunit_test_suite(bench_sched_suite);

MODULE_DESCRIPTION("Benchmarks of the DRM GPU scheduler");
MODULE_LICENSE("GPL");
