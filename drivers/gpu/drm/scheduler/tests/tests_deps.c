// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Dependency handling: how drm_sched_job_add_*dependency*() store fences
 * (deduplication, filtering, reference counting) and how a pushed job waits
 * for them before run_job.
 */

#include <kunit/test.h>
#include <linux/dma-fence-chain.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/drm_syncobj.h>

#include "sched_tests.h"

static unsigned int deps_count(struct drm_mock_sched_job *job)
{
	struct dma_fence *fence;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&job->base.dependencies, index, fence)
		n++;
	return n;
}

static unsigned int deps_find(struct drm_mock_sched_job *job,
			      struct dma_fence *wanted)
{
	struct dma_fence *fence;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&job->base.dependencies, index, fence)
		if (fence == wanted)
			n++;
	return n;
}

/* Fisher-Yates shuffle driven by a seeded PRNG. */
static void shuffle_fences(struct dma_fence **fences, unsigned int n,
			   struct rnd_state *rnd)
{
	unsigned int i, j;

	for (i = n; i > 1; i--) {
		j = prandom_u32_state(rnd) % i;
		swap(fences[i - 1], fences[j]);
	}
}

/* What every case starts from, in test->priv. */
struct deps_fixture {
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *job;
};

/*
 * Suite init: a scheduler, an entity on it and an initialised job of that
 * entity, not yet armed. The mock constructors' actions tear them down after
 * the case's own objects; there is nothing left for an exit hook to do.
 */
static int deps_suite_init(struct kunit *test)
{
	struct deps_fixture *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->sched = drm_mock_sched_new(test, MAX_SCHEDULE_TIMEOUT);
	fx->entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					       fx->sched);
	fx->job = drm_mock_sched_job_new(test, fx->entity);
	test->priv = fx;
	return 0;
}

/* Storage ----------------------------------------------------------------- */

/* A NULL fence is accepted as "no dependency" and stores nothing. */
static void drm_sched_deps_null(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;

	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&fx->job->base, NULL), 0);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 0);
}

/* One unsignalled fence is stored once and its reference is kept. */
static void drm_sched_deps_single(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *f = drm_mock_timeline_fence(tl, 1);
	unsigned int before;

	before = kref_read(&f->refcount);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, f), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), before + 1);

	/* Cleaning up the never armed job gives the reference back. */
	drm_mock_sched_job_cleanup(fx->job);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), before);
}

struct dedup_case {
	const char *desc;
	u64 first;
	u64 second;
};

static const struct dedup_case dedup_cases[] = {
	{ "earlier-then-later", 1, 2 },
	{ "later-then-earlier", 2, 1 },
	{ "equal-seqno", 3, 3 },
	{ "far-apart", 1, 1000 },
	{ "far-apart-reversed", 1000, 1 },
};

KUNIT_ARRAY_PARAM_DESC(dedup, dedup_cases, desc);

/*
 * Two fences of one context: only the later one is kept and the reference
 * of the other is dropped at once. With equal seqnos one is kept.
 */
static void drm_sched_deps_dedup_pair(struct kunit *test)
{
	const struct dedup_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *a = drm_mock_timeline_fence(tl, p->first);
	struct dma_fence *b = drm_mock_timeline_fence(tl, p->second);
	struct dma_fence *later = p->second > p->first ? b : a;
	struct dma_fence *other = later == a ? b : a;
	unsigned int later_ref, other_ref;

	later_ref = kref_read(&later->refcount);
	other_ref = kref_read(&other->refcount);

	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(a)), 0);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(b)), 0);

	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 1);
	if (p->first == p->second) {
		KUNIT_EXPECT_EQ(test, deps_find(fx->job, a) + deps_find(fx->job, b), 1);
		KUNIT_EXPECT_EQ(test, kref_read(&a->refcount) + kref_read(&b->refcount),
				later_ref + other_ref + 1);
	} else {
		KUNIT_EXPECT_EQ(test, deps_find(fx->job, later), 1);
		KUNIT_EXPECT_EQ(test, kref_read(&later->refcount), later_ref + 1);
		KUNIT_EXPECT_EQ(test, kref_read(&other->refcount), other_ref);
	}

	drm_mock_sched_job_cleanup(fx->job);
	KUNIT_EXPECT_EQ(test, kref_read(&a->refcount) + kref_read(&b->refcount),
			later_ref + other_ref);
}

/* The very same fence added twice is stored once with one reference. */
static void drm_sched_deps_same_fence_twice(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *f = drm_mock_timeline_fence(tl, 7);
	unsigned int before;

	before = kref_read(&f->refcount);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, f), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), before + 1);
}

struct size_case {
	const char *desc;
	unsigned int n;
};

static const struct size_case many_cases[] = {
	{ "1-context", 1 },
	{ "2-contexts", 2 },
	{ "17-contexts", 17 },
	{ "64-contexts", 64 },
	{ "300-contexts", 300 },
};

KUNIT_ARRAY_PARAM_DESC(many, many_cases, desc);

/*
 * Fences of many distinct contexts are all stored; adding a later fence on
 * every context afterwards replaces each entry without growing the set, and
 * every replaced fence gets its reference back.
 */
static void drm_sched_deps_many_contexts(struct kunit *test)
{
	const struct size_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct dma_fence **old, **new;
	unsigned int i;

	old = kunit_kcalloc(test, p->n, sizeof(*old), GFP_KERNEL);
	new = kunit_kcalloc(test, p->n, sizeof(*new), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_NOT_NULL(test, new);

	for (i = 0; i < p->n; i++) {
		struct drm_mock_timeline *tl = drm_mock_timeline_new(test);

		old[i] = drm_mock_timeline_fence(tl, 10);
		new[i] = drm_mock_timeline_fence(tl, 11);
		KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
								   dma_fence_get(old[i])), 0);
	}
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), p->n);

	for (i = 0; i < p->n; i++)
		KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
								   dma_fence_get(new[i])), 0);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), p->n);

	for (i = 0; i < p->n; i++) {
		KUNIT_EXPECT_EQ(test, deps_find(fx->job, new[i]), 1);
		KUNIT_EXPECT_EQ(test, deps_find(fx->job, old[i]), 0);
		KUNIT_EXPECT_EQ(test, kref_read(&old[i]->refcount), 1);
		KUNIT_EXPECT_EQ(test, kref_read(&new[i]->refcount), 2);
	}
}

static const struct size_case shuffle_cases[] = {
	{ "8-fences", 8 },
	{ "33-fences", 33 },
	{ "128-fences", 128 },
};

KUNIT_ARRAY_PARAM_DESC(shuffle, shuffle_cases, desc);

/*
 * Many fences of one context added in a shuffled order (fixed seed): only
 * the one with the highest seqno survives, every other reference is back.
 */
static void drm_sched_deps_one_context_shuffled(struct kunit *test)
{
	const struct size_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence **fences;
	struct rnd_state rnd;
	const u64 seed = 0x5eed0001;
	unsigned int i;

	kunit_info(test, "seed %llu\n", seed);
	prandom_seed_state(&rnd, seed);

	fences = kunit_kcalloc(test, p->n, sizeof(*fences), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fences);
	for (i = 0; i < p->n; i++)
		fences[i] = drm_mock_timeline_fence(tl, i + 1);

	shuffle_fences(fences, p->n, &rnd);

	for (i = 0; i < p->n; i++)
		KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
								   dma_fence_get(fences[i])), 0);

	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 1);
	for (i = 0; i < p->n; i++) {
		bool last = fences[i]->seqno == p->n;

		KUNIT_EXPECT_EQ(test, deps_find(fx->job, fences[i]), last ? 1 : 0);
		KUNIT_EXPECT_EQ(test, kref_read(&fences[i]->refcount), last ? 2 : 1);
	}
}

struct signalled_case {
	const char *desc;
	int error;
};

static const struct signalled_case signalled_cases[] = {
	{ "ok", 0 },
	{ "EIO", -EIO },
	{ "ECANCELED", -ECANCELED },
};

KUNIT_ARRAY_PARAM_DESC(signalled, signalled_cases, desc);

/*
 * An already signalled fence, with or without an error, is not stored:
 * add returns 0 and the reference is dropped straight away.
 */
static void drm_sched_deps_signalled_not_stored(struct kunit *test)
{
	const struct signalled_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *f = drm_mock_timeline_fence(tl, 1);

	drm_mock_fence_signal(f, p->error);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), 1);
}

/* The global stub fence is always signalled and thus never stored. */
static void drm_sched_deps_stub_fence(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;

	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get_stub()), 0);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 0);
}

/*
 * An earlier fence is stored, then a later fence of the same context that
 * already signalled is added. Keeping either one is fine, but there must be
 * at most one entry and no reference may leak or be dropped twice.
 */
static void drm_sched_deps_signalled_later_keeps_earlier(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *early = drm_mock_timeline_fence(tl, 1);
	struct dma_fence *late = drm_mock_timeline_fence(tl, 2);

	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(early)), 0);
	drm_mock_fence_signal(late, 0);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(late)), 0);
	/* Either fence is acceptable as long as nothing leaked or doubled. */
	KUNIT_EXPECT_LE(test, deps_count(fx->job), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&early->refcount) + kref_read(&late->refcount),
			2 + deps_count(fx->job));
}

/* An unsignalled fence that will fail later is stored like any other. */
static void drm_sched_deps_error_fence_stored(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *f = drm_mock_timeline_fence(tl, 1);

	dma_fence_set_error(f, -EIO);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, f), 1);
}

struct self_case {
	const char *desc;
	bool finished;
};

static const struct self_case self_cases[] = {
	{ "scheduled-fence", false },
	{ "finished-fence", true },
};

KUNIT_ARRAY_PARAM_DESC(self, self_cases, desc);

/*
 * Fences of the job's own entity (an earlier job's scheduled or finished
 * fence) are dropped: the entity orders its jobs anyway. The same fence
 * from another entity's point of view is stored.
 */
static void drm_sched_deps_self_filtered(struct kunit *test)
{
	const struct self_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct drm_mock_sched_entity *other;
	struct drm_mock_sched_job *first, *again, *foreign;
	struct dma_fence *f;
	unsigned int before;

	other = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					  fx->sched);

	/*
	 * Hold the run worker: on another CPU it would run @first at once,
	 * and a signalled scheduled fence is dropped for being signalled.
	 */
	drm_sched_wqueue_stop(&fx->sched->base);
	first = fx->job;
	drm_mock_sched_job_submit(first);
	f = p->finished ? first->finished : first->scheduled;
	KUNIT_ASSERT_EQ(test, f->context,
			fx->entity->base.fence_context + (p->finished ? 1 : 0));

	again = drm_mock_sched_job_new(test, fx->entity);
	before = kref_read(&f->refcount);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&again->base,
							   dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, deps_count(again), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), before);

	foreign = drm_mock_sched_job_new(test, other);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&foreign->base,
							   dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, deps_find(foreign, f), 1);

	drm_sched_wqueue_start(&fx->sched->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(first, DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
}

/*
 * Finished fences of two jobs of another entity share a context: the job
 * depending on both keeps only the second one.
 */
static void drm_sched_deps_sched_fences_dedup(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_sched_entity *producer;
	struct drm_mock_sched_job *a, *b;

	producer = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					     fx->sched);
	a = drm_mock_sched_job_new(test, producer);
	b = drm_mock_sched_job_new(test, producer);
	drm_mock_sched_job_submit(a);
	drm_mock_sched_job_submit(b);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 2, DRM_MOCK_WAIT));

	KUNIT_EXPECT_EQ(test, a->finished->context, b->finished->context);
	KUNIT_EXPECT_EQ(test, b->finished->seqno, a->finished->seqno + 1);

	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(b->finished)), 0);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(a->finished)), 0);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 1);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, b->finished), 1);

	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 2), 2);
}

/*
 * Adding a dependency to a job that was already pushed is a driver bug:
 * WARN, -EBUSY, and the reference is still consumed.
 */
static void drm_sched_deps_add_after_push(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *f = drm_mock_timeline_fence(tl, 1);
	int ret;

	drm_mock_sched_job_submit(fx->job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));

	kunit_info(test, "KUNIT-EXPECT-WARN: dependency added after push\n");
	ret = drm_sched_job_add_dependency(&fx->job->base, dma_fence_get(f));
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), 1);

	drm_mock_sched_advance(fx->sched, 1);
}

/* Reservation objects --------------------------------------------------- */

struct fenced_resv {
	struct dma_resv resv;
	struct dma_fence *fences[DMA_RESV_USAGE_BOOKKEEP + 1];
};

static void fenced_resv_fini(struct fenced_resv *fr)
{
	dma_resv_fini(&fr->resv);
}

KUNIT_DEFINE_ACTION_WRAPPER(fenced_resv_fini_action, fenced_resv_fini,
			    struct fenced_resv *);

/* A reservation object with one unsignalled fence of each usage class. */
static struct fenced_resv *fenced_resv_new(struct kunit *test)
{
	struct fenced_resv *fr = kunit_kzalloc(test, sizeof(*fr), GFP_KERNEL);
	enum dma_resv_usage usage;

	KUNIT_ASSERT_NOT_NULL(test, fr);
	dma_resv_init(&fr->resv);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fenced_resv_fini_action,
							fr), 0);

	KUNIT_ASSERT_EQ(test, dma_resv_lock(&fr->resv, NULL), 0);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(&fr->resv, 4), 0);
	for (usage = DMA_RESV_USAGE_KERNEL; usage <= DMA_RESV_USAGE_BOOKKEEP;
	     usage++) {
		struct drm_mock_timeline *tl = drm_mock_timeline_new(test);

		fr->fences[usage] = drm_mock_timeline_fence(tl, 1);
		dma_resv_add_fence(&fr->resv, fr->fences[usage], usage);
	}
	dma_resv_unlock(&fr->resv);
	return fr;
}

struct usage_case {
	const char *desc;
	enum dma_resv_usage usage;
};

static const struct usage_case usage_cases[] = {
	{ "kernel", DMA_RESV_USAGE_KERNEL },
	{ "write", DMA_RESV_USAGE_WRITE },
	{ "read", DMA_RESV_USAGE_READ },
	{ "bookkeep", DMA_RESV_USAGE_BOOKKEEP },
};

KUNIT_ARRAY_PARAM_DESC(usage, usage_cases, desc);

/*
 * With the resv locked, every fence of the requested usage (and of the
 * stricter classes) becomes a dependency, each exactly once.
 */
static void drm_sched_deps_resv_usage(struct kunit *test)
{
	const struct usage_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct fenced_resv *resv = fenced_resv_new(test);
	enum dma_resv_usage u;
	int ret;

	KUNIT_ASSERT_EQ(test, dma_resv_lock(&resv->resv, NULL), 0);
	ret = drm_sched_job_add_resv_dependencies(&fx->job->base, &resv->resv,
						  p->usage);
	dma_resv_unlock(&resv->resv);
	KUNIT_ASSERT_EQ(test, ret, 0);

	KUNIT_EXPECT_EQ(test, deps_count(fx->job), p->usage + 1);
	for (u = DMA_RESV_USAGE_KERNEL; u <= DMA_RESV_USAGE_BOOKKEEP; u++)
		KUNIT_EXPECT_EQ(test, deps_find(fx->job, resv->fences[u]),
				u <= p->usage ? 1 : 0);
}

/*
 * Signalled fences in the resv are skipped, and two fences of one context
 * in the resv end up as one dependency.
 */
static void drm_sched_deps_resv_filtering(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *done = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
	struct dma_fence *r1 = drm_mock_timeline_fence(tl, 1);
	struct dma_fence *r2 = drm_mock_timeline_fence(tl, 2);
	struct dma_resv *resv;

	resv = kunit_kzalloc(test, sizeof(*resv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, resv);
	dma_resv_init(resv);

	drm_mock_fence_signal(done, 0);
	KUNIT_ASSERT_EQ(test, dma_resv_lock(resv, NULL), 0);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(resv, 3), 0);
	dma_resv_add_fence(resv, done, DMA_RESV_USAGE_WRITE);
	dma_resv_add_fence(resv, r1, DMA_RESV_USAGE_READ);
	dma_resv_add_fence(resv, r2, DMA_RESV_USAGE_BOOKKEEP);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_resv_dependencies(&fx->job->base, resv,
								  DMA_RESV_USAGE_BOOKKEEP), 0);
	dma_resv_unlock(resv);

	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 1);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, r2), 1);

	drm_mock_sched_job_cleanup(fx->job);
	dma_resv_fini(resv);
	KUNIT_EXPECT_EQ(test, kref_read(&r1->refcount), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&r2->refcount), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&done->refcount), 1);
}

/*
 * Walking an unlocked resv is refused with a WARN and -EINVAL; nothing is
 * stored and every fence keeps exactly its references.
 */
static void drm_sched_deps_resv_unlocked(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct fenced_resv *resv = fenced_resv_new(test);
	unsigned int refs[DMA_RESV_USAGE_BOOKKEEP + 1];
	enum dma_resv_usage u;

	for (u = DMA_RESV_USAGE_KERNEL; u <= DMA_RESV_USAGE_BOOKKEEP; u++)
		refs[u] = kref_read(&resv->fences[u]->refcount);

	kunit_info(test, "KUNIT-EXPECT-WARN: resv walked without its lock\n");
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_resv_dependencies(&fx->job->base,
								  &resv->resv,
								  DMA_RESV_USAGE_BOOKKEEP),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 0);
	for (u = DMA_RESV_USAGE_KERNEL; u <= DMA_RESV_USAGE_BOOKKEEP; u++)
		KUNIT_EXPECT_EQ(test, kref_read(&resv->fences[u]->refcount), refs[u]);
}

struct implicit_case {
	const char *desc;
	bool write;
};

static const struct implicit_case implicit_cases[] = {
	{ "write-job", true },
	{ "read-job", false },
};

KUNIT_ARRAY_PARAM_DESC(implicit, implicit_cases, desc);

/*
 * Implicit sync through a GEM object's resv: a writer waits for readers and
 * writers, a reader only for writers. Bookkeeping fences are never waited.
 */
static void drm_sched_deps_implicit(struct kunit *test)
{
	const struct implicit_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct fenced_resv *resv = fenced_resv_new(test);
	struct drm_gem_object *obj;
	int ret;

	obj = kunit_kzalloc(test, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	obj->resv = &resv->resv;

	KUNIT_ASSERT_EQ(test, dma_resv_lock(obj->resv, NULL), 0);
	ret = drm_sched_job_add_implicit_dependencies(&fx->job->base, obj, p->write);
	dma_resv_unlock(obj->resv);
	KUNIT_ASSERT_EQ(test, ret, 0);

	KUNIT_EXPECT_EQ(test, deps_find(fx->job, resv->fences[DMA_RESV_USAGE_KERNEL]), 1);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, resv->fences[DMA_RESV_USAGE_WRITE]), 1);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, resv->fences[DMA_RESV_USAGE_READ]),
			p->write ? 1 : 0);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, resv->fences[DMA_RESV_USAGE_BOOKKEEP]), 0);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), p->write ? 3 : 2);
}

/* Syncobjs -------------------------------------------------------------- */

static const struct file_operations syncobj_test_fops = {
	.owner = THIS_MODULE,
	.release = drm_release,
};

static const struct drm_driver syncobj_test_driver = {
	.driver_features = DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.fops = &syncobj_test_fops,
	.name = "drm-sched-syncobj-test",
	.desc = "scheduler syncobj test device",
};

static void syncobj_file_close(struct file *file)
{
	__fput_sync(file);
}

KUNIT_DEFINE_ACTION_WRAPPER(syncobj_file_close_action, syncobj_file_close,
			    struct file *);

KUNIT_DEFINE_ACTION_WRAPPER(syncobj_put_action, drm_syncobj_put,
			    struct drm_syncobj *);

/* A drm_file of a throw-away DRM device with syncobj support, or a skip. */
static struct drm_file *syncobj_file_new(struct kunit *test)
{
	struct drm_device *drm;
	struct device *dev;
	struct file *file;

	dev = drm_kunit_helper_alloc_device(test);
	if (IS_ERR(dev))
		kunit_skip(test, "no kunit device: %ld", PTR_ERR(dev));

	drm = __drm_kunit_helper_alloc_drm_device_with_driver(test, dev,
							      sizeof(*drm), 0,
							      &syncobj_test_driver);
	if (IS_ERR(drm))
		kunit_skip(test, "no drm device: %ld", PTR_ERR(drm));
	if (!drm->primary)
		kunit_skip(test, "drm device without primary minor");

	file = mock_drm_getfile(drm->primary, O_RDWR);
	if (IS_ERR(file))
		kunit_skip(test, "no drm file: %ld", PTR_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, syncobj_file_close_action,
							file), 0);
	return file->private_data;
}

static u32 syncobj_handle_new(struct kunit *test, struct drm_file *file,
			      struct dma_fence *fence, struct drm_syncobj **out)
{
	struct drm_syncobj *syncobj;
	u32 handle;

	KUNIT_ASSERT_EQ(test, drm_syncobj_create(&syncobj, 0, fence), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, syncobj_put_action,
							syncobj), 0);
	KUNIT_ASSERT_EQ(test, drm_syncobj_get_handle(file, syncobj, &handle), 0);
	if (out)
		*out = syncobj;
	return handle;
}

/* A binary syncobj's fence becomes the job's dependency. */
static void drm_sched_deps_syncobj_binary(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *f = drm_mock_timeline_fence(tl, 1);
	struct drm_file *file = syncobj_file_new(test);
	u32 handle;

	handle = syncobj_handle_new(test, file, f, NULL);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_syncobj_dependency(&fx->job->base,
								   file, handle, 0), 0);
	KUNIT_EXPECT_EQ(test, deps_find(fx->job, f), 1);
}

/*
 * A timeline point resolves to the chain node of that point, which waits
 * for the point's fence: the job does not run before it signals.
 */
static void drm_sched_deps_syncobj_timeline(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *p1 = drm_mock_timeline_fence(tl, 1);
	struct dma_fence *p2 = drm_mock_timeline_fence(tl, 2);
	struct drm_file *file = syncobj_file_new(test);
	struct dma_fence_chain *chain;
	struct drm_syncobj *syncobj;
	u32 handle;

	handle = syncobj_handle_new(test, file, NULL, &syncobj);

	chain = dma_fence_chain_alloc();
	KUNIT_ASSERT_NOT_NULL(test, chain);
	drm_syncobj_add_point(syncobj, chain, p1, 1);
	chain = dma_fence_chain_alloc();
	KUNIT_ASSERT_NOT_NULL(test, chain);
	drm_syncobj_add_point(syncobj, chain, p2, 2);

	KUNIT_ASSERT_EQ(test, drm_sched_job_add_syncobj_dependency(&fx->job->base,
								   file, handle, 2), 0);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 1);

	drm_mock_sched_job_submit(fx->job);
	drm_mock_fence_signal(p1, 0);
	drm_mock_fence_signal(p2, 0);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, fx->job->deps_violation);
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(fx->job, DRM_MOCK_WAIT));
}

/* A handle that names no syncobj is -ENOENT. */
static void drm_sched_deps_syncobj_bad_handle(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_file *file = syncobj_file_new(test);

	KUNIT_EXPECT_EQ(test, drm_sched_job_add_syncobj_dependency(&fx->job->base,
								   file, 0x7777, 0),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 0);
}

struct nofence_case {
	const char *desc;
	bool timeline;
};

static const struct nofence_case nofence_cases[] = {
	{ "binary-empty", false },
	{ "timeline-point-missing", true },
};

KUNIT_ARRAY_PARAM_DESC(nofence, nofence_cases, desc);

/* A syncobj without a fence, or a timeline point not yet added, is -EINVAL. */
static void drm_sched_deps_syncobj_no_fence(struct kunit *test)
{
	const struct nofence_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct drm_file *file = syncobj_file_new(test);
	struct drm_syncobj *syncobj;
	u32 handle, point = 0;

	handle = syncobj_handle_new(test, file, NULL, &syncobj);
	if (p->timeline) {
		struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
		struct dma_fence_chain *chain = dma_fence_chain_alloc();

		KUNIT_ASSERT_NOT_NULL(test, chain);
		drm_syncobj_add_point(syncobj, chain, drm_mock_timeline_fence(tl, 1), 1);
		point = 5;
	}
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_syncobj_dependency(&fx->job->base,
								   file, handle, point),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, deps_count(fx->job), 0);
}

/* Waiting --------------------------------------------------------------- */

struct order_case {
	const char *desc;
	unsigned int n;
	int order;	/* 0 forward, 1 reverse, 2 shuffled */
};

static const struct order_case order_cases[] = {
	{ "1-dep", 1, 0 },
	{ "2-deps-forward", 2, 0 },
	{ "2-deps-reverse", 2, 1 },
	{ "8-deps-forward", 8, 0 },
	{ "8-deps-reverse", 8, 1 },
	{ "8-deps-shuffled", 8, 2 },
	{ "31-deps-shuffled", 31, 2 },
	{ "64-deps-reverse", 64, 1 },
	{ "200-deps-shuffled", 200, 2 },
};

KUNIT_ARRAY_PARAM_DESC(order, order_cases, desc);

/*
 * A job with many dependencies on distinct contexts runs once, after the
 * last of them signalled, whatever the order they signal in. A second job
 * on a dependency-free entity keeps the scheduler busy meanwhile.
 */
static void drm_sched_deps_wait_order(struct kunit *test)
{
	const struct order_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct drm_mock_sched_entity *free_entity;
	struct drm_mock_sched_job *bystander;
	struct dma_fence **fences;
	struct rnd_state rnd;
	const u64 seed = 0xdeb5;
	unsigned int i;

	free_entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
						fx->sched);
	fences = kunit_kcalloc(test, p->n, sizeof(*fences), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fences);

	for (i = 0; i < p->n; i++) {
		fences[i] = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
		KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
								   dma_fence_get(fences[i])), 0);
	}
	drm_mock_sched_job_submit(fx->job);

	/* An unrelated job gets through while the first one waits. */
	bystander = drm_mock_sched_job_new(test, free_entity);
	drm_mock_sched_job_submit(bystander);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(bystander,
								  DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(bystander,
								 DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_scheduled(fx->job));

	if (p->order == 1) {
		for (i = 0; i < p->n / 2; i++)
			swap(fences[i], fences[p->n - 1 - i]);
	} else if (p->order == 2) {
		kunit_info(test, "seed %llu\n", seed);
		prandom_seed_state(&rnd, seed);
		shuffle_fences(fences, p->n, &rnd);
	}

	for (i = 0; i < p->n; i++)
		drm_mock_fence_signal(fences[i], 0);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, fx->job->deps_violation);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->job->run_count), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(fx->job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(fx->job), 0);
}

/* Dependencies that signalled before push do not delay the job at all. */
static void drm_sched_deps_wait_presignalled(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		struct dma_fence *f =
			drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);

		KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
								   dma_fence_get(f)), 0);
		drm_mock_fence_signal(f, 0);
	}
	drm_mock_sched_job_submit(fx->job);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(fx->job, DRM_MOCK_WAIT));
}

static const struct signalled_case dep_error_cases[] = {
	{ "EIO", -EIO },
	{ "ECANCELED", -ECANCELED },
	{ "ETIMEDOUT", -ETIMEDOUT },
	{ "ENODEV", -ENODEV },
};

KUNIT_ARRAY_PARAM_DESC(dep_error, dep_error_cases, desc);

/*
 * A dependency that fails still counts as resolved: the job runs normally
 * and its finished fence carries no error of the dependency's.
 */
static void drm_sched_deps_error_not_propagated(struct kunit *test)
{
	const struct signalled_case *p = test->param_value;
	struct deps_fixture *fx = test->priv;
	struct dma_fence *f = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);

	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(f)), 0);
	drm_mock_sched_job_submit(fx->job);
	drm_mock_fence_signal(f, p->error);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, fx->job->error_at_run, 0);
	drm_mock_sched_advance(fx->sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(fx->job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(fx->job), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->job->run_count), 1);
}

/*
 * A job depending on the finished fence of a job of the same scheduler is
 * pipelined: it runs as soon as that job is on the hardware, before it
 * completes.
 */
static void drm_sched_deps_pipelined(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_sched_entity *producer;
	struct drm_mock_sched_job *first;

	producer = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					     fx->sched);
	first = drm_mock_sched_job_new(test, producer);
	drm_mock_sched_job_arm(first);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(first->finished)), 0);
	drm_mock_sched_job_push(first);
	drm_mock_sched_job_submit(fx->job);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(first));
	KUNIT_EXPECT_GT(test, drm_mock_sched_job_order(fx->job),
			drm_mock_sched_job_order(first));
	KUNIT_EXPECT_FALSE(test, fx->job->deps_violation);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 2), 2);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(fx->job, DRM_MOCK_WAIT));
}

/*
 * With DRM_SCHED_FENCE_DONT_PIPELINE on the producer's finished fence the
 * consumer waits for the producer's completion: it is not run while the
 * producer sits on the hardware.
 */
static void drm_sched_deps_dont_pipeline(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_sched_entity *producer, *bystander;
	struct drm_mock_sched_job *first, *probe;

	producer = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					     fx->sched);
	bystander = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					      fx->sched);
	first = drm_mock_sched_job_new(test, producer);
	drm_mock_sched_job_arm(first);
	set_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &first->finished->flags);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(first->finished)), 0);
	drm_mock_sched_job_push(first);
	drm_mock_sched_job_submit(fx->job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(first, DRM_MOCK_WAIT));

	/* A later unrelated job overtakes the blocked consumer. */
	probe = drm_mock_sched_job_new(test, bystander);
	drm_mock_sched_job_submit(probe);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(probe, DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_scheduled(fx->job));

	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_finished(first));
	KUNIT_EXPECT_FALSE(test, fx->job->deps_violation);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 2), 2);
}

/*
 * A finished fence of another scheduler is a full dependency: the job runs
 * only once that job completed on its own hardware.
 */
static void drm_sched_deps_cross_scheduler(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_scheduler *other = drm_mock_sched_new(test, 0);
	struct drm_mock_sched_entity *remote, *bystander;
	struct drm_mock_sched_job *first, *probe;

	remote = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, other);
	bystander = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
					      fx->sched);
	first = drm_mock_sched_job_new(test, remote);
	drm_mock_sched_job_arm(first);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&fx->job->base,
							   dma_fence_get(first->finished)), 0);
	drm_mock_sched_job_push(first);
	drm_mock_sched_job_submit(fx->job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(first, DRM_MOCK_WAIT));

	probe = drm_mock_sched_job_new(test, bystander);
	drm_mock_sched_job_submit(probe);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(probe, DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_scheduled(fx->job));

	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(other, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(fx->job,
								  DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, fx->job->deps_violation);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 2), 2);
}

/*
 * Several jobs of one entity each wait on their own external fence; the
 * fences signal in reverse order, yet the jobs run in push order.
 */
static void drm_sched_deps_entity_order_kept(struct kunit *test)
{
	struct deps_fixture *fx = test->priv;
	struct drm_mock_sched_job *jobs[6];
	struct dma_fence *fences[6];
	int i;

	for (i = 0; i < 6; i++) {
		jobs[i] = i ? drm_mock_sched_job_new(test, fx->entity) : fx->job;
		fences[i] = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
		KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&jobs[i]->base,
								   dma_fence_get(fences[i])), 0);
		drm_mock_sched_job_submit(jobs[i]);
	}
	for (i = 5; i >= 0; i--)
		drm_mock_fence_signal(fences[i], 0);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(fx->sched, 6, DRM_MOCK_WAIT));
	for (i = 1; i < 6; i++)
		KUNIT_EXPECT_GT(test, drm_mock_sched_job_order(jobs[i]),
				drm_mock_sched_job_order(jobs[i - 1]));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(fx->sched, 6), 6);
}

struct run_hook_fence {
	struct dma_fence *fence;
	bool early;
};

static void record_prepare_fence(struct drm_mock_sched_job *job, void *data)
{
	struct run_hook_fence *rec = data;

	if (!dma_fence_is_signaled(rec->fence))
		WRITE_ONCE(rec->early, true);
}

/*
 * prepare_job is asked only after the stored dependencies signalled, and a
 * fence it returns is waited on before run_job.
 */
static void drm_sched_deps_prepare_job(struct kunit *test)
{
	struct drm_mock_sched_params params = { .prepare_job = true };
	struct drm_mock_timeline *tl = drm_mock_timeline_new(test);
	struct dma_fence *dep = drm_mock_timeline_fence(tl, 1);
	struct dma_fence *extra = drm_mock_timeline_fence(tl, 2);
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_job *job;
	struct run_hook_fence rec = { .fence = extra };

	/* Its own scheduler: the fixture's has no prepare_job callback. */
	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	job = drm_mock_sched_job_new(test, entity);
	job->prepare_fence = dma_fence_get(extra);
	job->run_hook = record_prepare_fence;
	job->hook_data = &rec;

	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&job->base,
							   dma_fence_get(dep)), 0);
	drm_mock_sched_job_submit(job);
	drm_mock_fence_signal(dep, 0);

	KUNIT_ASSERT_TRUE(test, wait_event_timeout(sched->wq,
						   atomic_read(&sched->prepare_count) >= 1,
						   DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, job->prepare_violation);

	drm_mock_fence_signal(extra, 0);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, READ_ONCE(rec.early));
	KUNIT_EXPECT_GE(test, atomic_read(&sched->prepare_count), 1);
	drm_mock_sched_advance(sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

static struct kunit_case drm_sched_deps_store_cases[] = {
	KUNIT_CASE(drm_sched_deps_null),
	KUNIT_CASE(drm_sched_deps_single),
	KUNIT_CASE_PARAM(drm_sched_deps_dedup_pair, dedup_gen_params),
	KUNIT_CASE(drm_sched_deps_same_fence_twice),
	KUNIT_CASE_PARAM(drm_sched_deps_many_contexts, many_gen_params),
	KUNIT_CASE_PARAM(drm_sched_deps_one_context_shuffled, shuffle_gen_params),
	KUNIT_CASE_PARAM(drm_sched_deps_signalled_not_stored, signalled_gen_params),
	KUNIT_CASE(drm_sched_deps_stub_fence),
	KUNIT_CASE(drm_sched_deps_signalled_later_keeps_earlier),
	KUNIT_CASE(drm_sched_deps_error_fence_stored),
	KUNIT_CASE_PARAM(drm_sched_deps_self_filtered, self_gen_params),
	KUNIT_CASE(drm_sched_deps_sched_fences_dedup),
	KUNIT_CASE(drm_sched_deps_add_after_push),
	{}
};

static struct kunit_suite drm_sched_deps_store_suite = {
	.name = "drm_sched_deps_store",
	.init = deps_suite_init,
	.test_cases = drm_sched_deps_store_cases,
};

static struct kunit_case drm_sched_deps_sources_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_deps_resv_usage, usage_gen_params),
	KUNIT_CASE(drm_sched_deps_resv_filtering),
	KUNIT_CASE(drm_sched_deps_resv_unlocked),
	KUNIT_CASE_PARAM(drm_sched_deps_implicit, implicit_gen_params),
	KUNIT_CASE(drm_sched_deps_syncobj_binary),
	KUNIT_CASE(drm_sched_deps_syncobj_timeline),
	KUNIT_CASE(drm_sched_deps_syncobj_bad_handle),
	KUNIT_CASE_PARAM(drm_sched_deps_syncobj_no_fence, nofence_gen_params),
	{}
};

static struct kunit_suite drm_sched_deps_sources_suite = {
	.name = "drm_sched_deps_sources",
	.init = deps_suite_init,
	.test_cases = drm_sched_deps_sources_cases,
};

static struct kunit_case drm_sched_deps_wait_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_deps_wait_order, order_gen_params),
	KUNIT_CASE(drm_sched_deps_wait_presignalled),
	KUNIT_CASE_PARAM(drm_sched_deps_error_not_propagated, dep_error_gen_params),
	KUNIT_CASE(drm_sched_deps_pipelined),
	KUNIT_CASE(drm_sched_deps_dont_pipeline),
	KUNIT_CASE(drm_sched_deps_cross_scheduler),
	KUNIT_CASE(drm_sched_deps_entity_order_kept),
	KUNIT_CASE(drm_sched_deps_prepare_job),
	{}
};

static struct kunit_suite drm_sched_deps_wait_suite = {
	.name = "drm_sched_deps_wait",
	.init = deps_suite_init,
	.test_cases = drm_sched_deps_wait_cases,
};

kunit_test_suites(&drm_sched_deps_store_suite,
		  &drm_sched_deps_sources_suite,
		  &drm_sched_deps_wait_suite);
