// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Run queues: priorities across run queues, the FIFO and round-robin
 * policies within one, and the credit accounting that throttles the ring.
 *
 * Ordering tests stop the submit worker, queue everything, and restart it,
 * so that every pick sees the complete picture and the run order is fixed.
 */

#include <kunit/test.h>
#include <linux/prandom.h>

#include "sched_tests.h"

struct policy_case {
	const char *desc;
	int policy;
	unsigned int jobs;
};

static const struct policy_case policy_cases[] = {
	{ "fifo-1-job", DRM_SCHED_POLICY_FIFO, 1 },
	{ "fifo-4-jobs", DRM_SCHED_POLICY_FIFO, 4 },
	{ "rr-1-job", DRM_SCHED_POLICY_RR, 1 },
	{ "rr-4-jobs", DRM_SCHED_POLICY_RR, 4 },
};

KUNIT_ARRAY_PARAM_DESC(policy, policy_cases, desc);

/*
 * Jobs queued on all four priorities, lowest pushed first, run strictly by
 * priority: every KERNEL job before any HIGH job, and so on.
 */
static void drm_sched_rq_priority_order(struct kunit *test)
{
	const struct policy_case *p = test->param_value;
	struct drm_mock_sched_job *jobs[DRM_SCHED_PRIORITY_COUNT][4];
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	int prio, other;
	unsigned int i, j;

	drm_mock_sched_use_policy(test, p->policy);
	sched = drm_mock_sched_new(test, 0);
	drm_sched_wqueue_stop(&sched->base);

	for (prio = DRM_SCHED_PRIORITY_LOW; prio >= DRM_SCHED_PRIORITY_KERNEL; prio--) {
		entity = drm_mock_sched_entity_new(test, prio, sched);
		for (i = 0; i < p->jobs; i++) {
			jobs[prio][i] = drm_mock_sched_job_new(test, entity);
			drm_mock_sched_job_submit(jobs[prio][i]);
		}
	}
	drm_sched_wqueue_start(&sched->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched,
							 DRM_SCHED_PRIORITY_COUNT * p->jobs,
							 DRM_MOCK_WAIT));

	for (prio = 0; prio < DRM_SCHED_PRIORITY_COUNT; prio++)
		for (other = prio + 1; other < DRM_SCHED_PRIORITY_COUNT; other++)
			for (i = 0; i < p->jobs; i++)
				for (j = 0; j < p->jobs; j++)
					KUNIT_EXPECT_LT(test,
							drm_mock_sched_job_order(jobs[prio][i]),
							drm_mock_sched_job_order(jobs[other][j]));

	drm_mock_sched_advance(sched, DRM_SCHED_PRIORITY_COUNT * p->jobs);
}

static const struct policy_case starve_cases[] = {
	{ "fifo", DRM_SCHED_POLICY_FIFO, 8 },
	{ "rr", DRM_SCHED_POLICY_RR, 8 },
};

KUNIT_ARRAY_PARAM_DESC(starve, starve_cases, desc);

/*
 * Starvation is by design: a LOW job pushed first never runs while a HIGH
 * entity keeps a job ready at every pick, however long that lasts. The ring
 * holds one job, so every completion is a new pick.
 */
static void drm_sched_rq_starvation(struct kunit *test)
{
	const struct policy_case *p = test->param_value;
	struct drm_mock_sched_params params = { .credit_limit = 1 };
	struct drm_mock_sched_entity *low, *high;
	struct drm_mock_sched_job *victim, *cur, *next;
	struct drm_mock_scheduler *sched;
	unsigned int i;

	drm_mock_sched_use_policy(test, p->policy);
	sched = drm_mock_sched_new_params(test, &params);
	low = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_LOW, sched);
	high = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_HIGH, sched);

	drm_sched_wqueue_stop(&sched->base);
	victim = drm_mock_sched_job_new(test, low);
	drm_mock_sched_job_submit(victim);
	cur = drm_mock_sched_job_new(test, high);
	drm_mock_sched_job_submit(cur);
	drm_sched_wqueue_start(&sched->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(cur, DRM_MOCK_WAIT));
	for (i = 0; i < p->jobs; i++) {
		/*
		 * After a pick the run worker walks the run queues again, from
		 * HIGH down to LOW. A HIGH push and a completion that both land
		 * in that walk, after HIGH was looked at, let LOW have the free
		 * ring: a pick is not atomic against arrivals, here as in the
		 * base scheduler. Priority only orders jobs that are there when
		 * the pick starts, so let the walk end first.
		 */
		flush_work(&sched->base.work_run_job);
		next = drm_mock_sched_job_new(test, high);
		drm_mock_sched_job_submit(next);
		KUNIT_ASSERT_EQ(test, drm_mock_sched_advance(sched, 1), 1);
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(next,
									  DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, atomic_read(&victim->run_count), 0);
		cur = next;
	}

	/* Once HIGH runs dry, LOW finally gets the ring. */
	KUNIT_ASSERT_EQ(test, drm_mock_sched_advance(sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(victim, DRM_MOCK_WAIT));
	KUNIT_EXPECT_GT(test, drm_mock_sched_job_order(victim),
			drm_mock_sched_job_order(cur));
	drm_mock_sched_advance(sched, 1);
}

struct fifo_case {
	const char *desc;
	unsigned int entities;
	unsigned int jobs;
	u64 seed;
};

static const struct fifo_case fifo_cases[] = {
	{ "2-entities-6-jobs", 2, 6, 11 },
	{ "3-entities-12-jobs", 3, 12, 12 },
	{ "5-entities-40-jobs", 5, 40, 13 },
	{ "8-entities-64-jobs", 8, 64, 14 },
};

KUNIT_ARRAY_PARAM_DESC(fifo, fifo_cases, desc);

/*
 * FIFO: jobs pushed to random entities of one priority run in exactly the
 * order they were pushed, because the entity whose head job is oldest wins
 * each pick.
 */
static void drm_sched_rq_fifo_push_order(struct kunit *test)
{
	const struct fifo_case *p = test->param_value;
	struct drm_mock_sched_entity **entities;
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;
	struct rnd_state rnd;
	ktime_t *pushed;
	unsigned int i;

	kunit_info(test, "seed %llu\n", p->seed);
	prandom_seed_state(&rnd, p->seed);
	drm_mock_sched_use_policy(test, DRM_SCHED_POLICY_FIFO);
	sched = drm_mock_sched_new(test, 0);

	entities = kunit_kcalloc(test, p->entities, sizeof(*entities), GFP_KERNEL);
	jobs = kunit_kcalloc(test, p->jobs, sizeof(*jobs), GFP_KERNEL);
	pushed = kunit_kcalloc(test, p->jobs, sizeof(*pushed), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, entities);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_ASSERT_NOT_NULL(test, pushed);
	for (i = 0; i < p->entities; i++)
		entities[i] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
							sched);

	drm_sched_wqueue_stop(&sched->base);
	for (i = 0; i < p->jobs; i++) {
		unsigned int e = prandom_u32_state(&rnd) % p->entities;

		jobs[i] = drm_mock_sched_job_new(test, entities[e]);
		drm_mock_sched_job_submit(jobs[i]);
		pushed[i] = jobs[i]->base.submit_ts;
	}
	drm_sched_wqueue_start(&sched->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, p->jobs, DRM_MOCK_WAIT));
	for (i = 1; i < p->jobs; i++) {
		/* Two pushes within one clock tick have no defined order. */
		if (!ktime_before(pushed[i - 1], pushed[i]))
			continue;
		KUNIT_EXPECT_LT_MSG(test, drm_mock_sched_job_order(jobs[i - 1]),
				    drm_mock_sched_job_order(jobs[i]),
				    "job %u (pushed at %lld ns) ran after job %u (%lld ns)",
				    i - 1, ktime_to_ns(pushed[i - 1]), i,
				    ktime_to_ns(pushed[i]));
	}
	drm_mock_sched_advance(sched, p->jobs);
}

struct rr_case {
	const char *desc;
	unsigned int entities;
	unsigned int jobs;
};

static const struct rr_case rr_cases[] = {
	{ "2-entities-2-jobs", 2, 2 },
	{ "3-entities-3-jobs", 3, 3 },
	{ "4-entities-5-jobs", 4, 5 },
};

KUNIT_ARRAY_PARAM_DESC(rr, rr_cases, desc);

/*
 * Round robin: entities filled one after the other still take turns. In
 * every round each ready entity runs exactly one job, so each window of
 * "entities" consecutive runs holds every entity once (FIFO would run each
 * entity's jobs back to back).
 */
static void drm_sched_rq_rr_rotation(struct kunit *test)
{
	const struct rr_case *p = test->param_value;
	struct drm_mock_sched_entity **entities;
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;
	unsigned int total = p->entities * p->jobs;
	unsigned int *by_rank;
	unsigned int i, j, e;

	drm_mock_sched_use_policy(test, DRM_SCHED_POLICY_RR);
	sched = drm_mock_sched_new(test, 0);
	entities = kunit_kcalloc(test, p->entities, sizeof(*entities), GFP_KERNEL);
	jobs = kunit_kcalloc(test, total, sizeof(*jobs), GFP_KERNEL);
	by_rank = kunit_kcalloc(test, total, sizeof(*by_rank), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, entities);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_ASSERT_NOT_NULL(test, by_rank);

	drm_sched_wqueue_stop(&sched->base);
	for (e = 0; e < p->entities; e++) {
		entities[e] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
							sched);
		for (j = 0; j < p->jobs; j++) {
			jobs[e * p->jobs + j] = drm_mock_sched_job_new(test, entities[e]);
			drm_mock_sched_job_submit(jobs[e * p->jobs + j]);
		}
	}
	drm_sched_wqueue_start(&sched->base);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, total, DRM_MOCK_WAIT));

	/* Rank the jobs by run order and note each one's entity. */
	for (i = 0; i < total; i++) {
		unsigned int rank = 0;

		for (j = 0; j < total; j++)
			if (drm_mock_sched_job_order(jobs[j]) <
			    drm_mock_sched_job_order(jobs[i]))
				rank++;
		KUNIT_ASSERT_LT(test, rank, total);
		by_rank[rank] = i / p->jobs;
	}

	for (i = 0; i < total; i += p->entities) {
		unsigned long seen = 0;

		for (j = 0; j < p->entities; j++)
			seen |= BIT(by_rank[i + j]);
		KUNIT_EXPECT_EQ_MSG(test, seen, BIT(p->entities) - 1,
				    "round starting at run %u is unfair", i);
	}
	drm_mock_sched_advance(sched, total);
}

struct clamp_case {
	const char *desc;
	u32 num_rqs;
	enum drm_sched_priority prio;
};

static const struct clamp_case clamp_cases[] = {
	{ "1-rq-low", 1, DRM_SCHED_PRIORITY_LOW },
	{ "2-rqs-low", 2, DRM_SCHED_PRIORITY_LOW },
	{ "3-rqs-low", 3, DRM_SCHED_PRIORITY_LOW },
	{ "2-rqs-normal", 2, DRM_SCHED_PRIORITY_NORMAL },
	{ "1-rq-high", 1, DRM_SCHED_PRIORITY_HIGH },
};

KUNIT_ARRAY_PARAM_DESC(clamp, clamp_cases, desc);

/*
 * A priority the scheduler has no run queue for is clamped to its lowest
 * run queue, and the entity's jobs run there.
 */
static void drm_sched_rq_priority_clamped(struct kunit *test)
{
	const struct clamp_case *p = test->param_value;
	struct drm_mock_sched_params params = { .num_rqs = p->num_rqs };
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_job *job;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, p->prio, sched);
	job = drm_mock_sched_job_new(test, entity);
	drm_mock_sched_job_submit(job);
	KUNIT_EXPECT_PTR_EQ(test, entity->base.rq,
			    sched->base.sched_rq[p->num_rqs - 1]);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	drm_mock_sched_advance(sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

struct setprio_case {
	const char *desc;
	unsigned int scheds;
};

static const struct setprio_case setprio_cases[] = {
	{ "single-scheduler", 1 },
	{ "scheduler-list", 2 },
};

KUNIT_ARRAY_PARAM_DESC(setprio, setprio_cases, desc);

/*
 * drm_sched_entity_set_priority() applies to the next armed job: a LOW
 * entity raised to HIGH overtakes a NORMAL job queued before it.
 */
static void drm_sched_rq_set_priority(struct kunit *test)
{
	const struct setprio_case *p = test->param_value;
	struct drm_mock_sched_entity *normal, *raised;
	struct drm_mock_sched_job *first, *before, *after;
	struct drm_gpu_scheduler **list;
	struct drm_mock_scheduler *sched;
	unsigned int i;

	sched = drm_mock_sched_new(test, 0);
	list = kunit_kcalloc(test, p->scheds, sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);
	list[0] = &sched->base;
	for (i = 1; i < p->scheds; i++) {
		struct drm_mock_scheduler *idle = drm_mock_sched_new(test, 0);

		/* Keep the others unattractive so the entity stays put. */
		atomic_set(idle->base.score, 1000);
		list[i] = &idle->base;
	}

	normal = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	raised = drm_mock_sched_entity_new_multi(test, DRM_SCHED_PRIORITY_LOW,
						 list, p->scheds, NULL);

	/* A job armed before the change keeps the old priority. */
	before = drm_mock_sched_job_new(test, raised);
	drm_mock_sched_job_submit(before);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(before, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, before->base.s_priority, DRM_SCHED_PRIORITY_LOW);
	drm_mock_sched_advance(sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(before, DRM_MOCK_WAIT));

	drm_sched_wqueue_stop(&sched->base);
	first = drm_mock_sched_job_new(test, normal);
	drm_mock_sched_job_submit(first);
	drm_sched_entity_set_priority(&raised->base, DRM_SCHED_PRIORITY_HIGH);
	after = drm_mock_sched_job_new(test, raised);
	drm_mock_sched_job_submit(after);
	KUNIT_EXPECT_EQ(test, after->base.s_priority, DRM_SCHED_PRIORITY_HIGH);
	KUNIT_EXPECT_PTR_EQ(test, raised->base.rq,
			    sched->base.sched_rq[DRM_SCHED_PRIORITY_HIGH]);
	drm_sched_wqueue_start(&sched->base);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, 3, DRM_MOCK_WAIT));
	KUNIT_EXPECT_LT(test, drm_mock_sched_job_order(after),
			drm_mock_sched_job_order(first));
	drm_mock_sched_advance(sched, 2);
}

static const struct fifo_case order_cases[] = {
	{ "2-jobs", 1, 2, 0 },
	{ "16-jobs", 1, 16, 0 },
	{ "100-jobs", 1, 100, 0 },
};

KUNIT_ARRAY_PARAM_DESC(entity_order, order_cases, desc);

/* Jobs of a single entity run and complete in push order. */
static void drm_sched_rq_entity_order(struct kunit *test)
{
	const struct fifo_case *p = test->param_value;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;
	unsigned int i;

	sched = drm_mock_sched_new(test, 0);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	jobs = kunit_kcalloc(test, p->jobs, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);

	for (i = 0; i < p->jobs; i++) {
		jobs[i] = drm_mock_sched_job_new(test, entity);
		jobs[i]->duration_us = 50;
		drm_mock_sched_job_submit(jobs[i]);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(jobs[p->jobs - 1],
								 DRM_MOCK_WAIT));
	for (i = 0; i < p->jobs; i++) {
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_finished(jobs[i]));
		if (i)
			KUNIT_EXPECT_LT(test, drm_mock_sched_job_order(jobs[i - 1]),
					drm_mock_sched_job_order(jobs[i]));
	}
}

/* Credits --------------------------------------------------------------- */

static const struct count_case {
	const char *desc;
	u32 n;
} limit_cases[] = {
	{ "limit-1", 1 },
	{ "limit-2", 2 },
	{ "limit-3", 3 },
	{ "limit-8", 8 },
};

KUNIT_ARRAY_PARAM_DESC(limit, limit_cases, desc);

/*
 * With one-credit jobs, exactly credit_limit of them sit on the ring at a
 * time; each completion lets exactly as many more in; the count returns to
 * zero at the end.
 */
static void drm_sched_rq_credit_limit(struct kunit *test)
{
	const struct count_case *p = test->param_value;
	struct drm_mock_sched_params params = { .credit_limit = p->n };
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;
	unsigned int total = 3 * p->n, round, i;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	jobs = kunit_kcalloc(test, total, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credit_limit(sched), p->n);

	for (i = 0; i < total; i++) {
		jobs[i] = drm_mock_sched_job_new(test, entity);
		drm_mock_sched_job_submit(jobs[i]);
	}

	for (round = 1; round <= 3; round++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, round * p->n,
								 DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_hw_pending(sched), p->n);
		KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), p->n);
		KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(sched, p->n), p->n);
	}

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(sched, total, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 0);
	for (i = 0; i < total; i++)
		KUNIT_EXPECT_LE(test, jobs[i]->hw_credits_at_run, p->n);
}

struct mixed_case {
	const char *desc;
	u32 limit;
	unsigned int jobs;
	u64 seed;
};

static const struct mixed_case mixed_cases[] = {
	{ "limit-4-20-jobs", 4, 20, 21 },
	{ "limit-7-40-jobs", 7, 40, 22 },
	{ "limit-16-60-jobs", 16, 60, 23 },
};

KUNIT_ARRAY_PARAM_DESC(mixed, mixed_cases, desc);

/*
 * Jobs of random sizes up to the limit, on two entities, retiring on their
 * own: the credits on the ring never exceed the limit at any run_job.
 */
static void drm_sched_rq_credit_mixed(struct kunit *test)
{
	const struct mixed_case *p = test->param_value;
	struct drm_mock_sched_params params = { .credit_limit = p->limit };
	struct drm_mock_sched_entity *entities[2];
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;
	struct rnd_state rnd;
	unsigned int i;

	kunit_info(test, "seed %llu\n", p->seed);
	prandom_seed_state(&rnd, p->seed);
	sched = drm_mock_sched_new_params(test, &params);
	entities[0] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	entities[1] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_HIGH, sched);
	jobs = kunit_kcalloc(test, p->jobs, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);

	for (i = 0; i < p->jobs; i++) {
		u32 credits = 1 + prandom_u32_state(&rnd) % p->limit;

		jobs[i] = drm_mock_sched_job_new_credits(test, entities[i & 1], credits);
		jobs[i]->duration_us = 100 + prandom_u32_state(&rnd) % 400;
		drm_mock_sched_job_submit(jobs[i]);
	}

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(sched, p->jobs, DRM_MOCK_WAIT));
	for (i = 0; i < p->jobs; i++) {
		KUNIT_EXPECT_LE(test, jobs[i]->hw_credits_at_run, p->limit);
		KUNIT_EXPECT_EQ(test, jobs[i]->credits_at_run, jobs[i]->base.credits);
	}
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 0);
}

/*
 * A job that does not fit waits for enough credits: with 3 of 4 credits
 * taken, a 2-credit job stays queued until the 3-credit job completes.
 */
static void drm_sched_rq_credit_wait(struct kunit *test)
{
	struct drm_mock_sched_params params = { .credit_limit = 4 };
	struct drm_mock_sched_entity *a, *b, *c;
	struct drm_mock_sched_job *big, *blocked, *small;
	struct drm_mock_scheduler *sched;

	sched = drm_mock_sched_new_params(test, &params);
	a = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	b = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	c = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);

	big = drm_mock_sched_job_new_credits(test, a, 3);
	drm_mock_sched_job_submit(big);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(big, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 3);

	blocked = drm_mock_sched_job_new_credits(test, b, 2);
	drm_mock_sched_job_submit(blocked);
	small = drm_mock_sched_job_new_credits(test, c, 1);
	small->run_null = true;
	drm_mock_sched_job_submit(small);

	KUNIT_ASSERT_EQ(test, drm_mock_sched_advance(sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(blocked, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_finished(big));
	KUNIT_EXPECT_LE(test, blocked->hw_credits_at_run, 4);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_finished(small, DRM_MOCK_WAIT));
	drm_mock_sched_advance(sched, 1);
}

/*
 * update_job_credits may shrink the head job before the credit check: a
 * 4-credit job that would not fit next to a running 3-credit job runs at
 * once after shrinking to 1.
 */
static void drm_sched_rq_update_credits(struct kunit *test)
{
	struct drm_mock_sched_params params = { .credit_limit = 4,
						.update_credits = true };
	struct drm_mock_sched_entity *a, *b;
	struct drm_mock_sched_job *running, *shrunk;
	struct drm_mock_scheduler *sched;

	sched = drm_mock_sched_new_params(test, &params);
	a = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	b = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);

	running = drm_mock_sched_job_new_credits(test, a, 3);
	drm_mock_sched_job_submit(running);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(running, DRM_MOCK_WAIT));

	shrunk = drm_mock_sched_job_new_credits(test, b, 4);
	shrunk->new_credits = 1;
	drm_mock_sched_job_submit(shrunk);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(shrunk, DRM_MOCK_WAIT));
	KUNIT_EXPECT_FALSE(test, drm_mock_sched_job_is_finished(running));
	KUNIT_EXPECT_EQ(test, shrunk->credits_at_run, 1);
	KUNIT_EXPECT_LE(test, shrunk->hw_credits_at_run, 4);
	KUNIT_EXPECT_GE(test, atomic_read(&sched->credits_count), 1);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 4);

	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(sched, 2), 2);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(sched, 2, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 0);
}

/*
 * Without the callback the same 4-credit job must wait for the running job
 * to finish: the test above is not passing by accident.
 */
static void drm_sched_rq_no_update_credits(struct kunit *test)
{
	struct drm_mock_sched_params params = { .credit_limit = 4 };
	struct drm_mock_sched_entity *a, *b;
	struct drm_mock_sched_job *running, *waiting;
	struct drm_mock_scheduler *sched;

	sched = drm_mock_sched_new_params(test, &params);
	a = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	b = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);

	running = drm_mock_sched_job_new_credits(test, a, 3);
	drm_mock_sched_job_submit(running);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(running, DRM_MOCK_WAIT));

	waiting = drm_mock_sched_job_new_credits(test, b, 4);
	waiting->new_credits = 1;
	drm_mock_sched_job_submit(waiting);

	KUNIT_EXPECT_EQ(test, drm_mock_sched_advance(sched, 1), 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(waiting, DRM_MOCK_WAIT));
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_is_finished(running));
	KUNIT_EXPECT_EQ(test, waiting->credits_at_run, 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->credits_count), 0);
	drm_mock_sched_advance(sched, 1);
}

/*
 * A job asking for more credits than the ring has is clamped to the limit
 * (with a warning) rather than blocking forever.
 */
static void drm_sched_rq_credits_clamped(struct kunit *test)
{
	struct drm_mock_sched_params params = { .credit_limit = 4 };
	struct drm_mock_sched_entity *entity;
	struct drm_mock_sched_job *job;
	struct drm_mock_scheduler *sched;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	job = drm_mock_sched_job_new_credits(test, entity, 10);

	kunit_info(test, "KUNIT-EXPECT-WARN: job larger than the ring\n");
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, job->credits_at_run, 4);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 4);
	drm_mock_sched_advance(sched, 1);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
}

static struct kunit_case drm_sched_rq_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_rq_priority_order, policy_gen_params),
	KUNIT_CASE_PARAM(drm_sched_rq_starvation, starve_gen_params),
	KUNIT_CASE_PARAM(drm_sched_rq_fifo_push_order, fifo_gen_params),
	KUNIT_CASE_PARAM(drm_sched_rq_rr_rotation, rr_gen_params),
	KUNIT_CASE_PARAM(drm_sched_rq_priority_clamped, clamp_gen_params),
	KUNIT_CASE_PARAM(drm_sched_rq_set_priority, setprio_gen_params),
	KUNIT_CASE_PARAM(drm_sched_rq_entity_order, entity_order_gen_params),
	{}
};

static struct kunit_suite drm_sched_rq_suite = {
	.name = "drm_sched_rq",
	.test_cases = drm_sched_rq_cases,
};

static struct kunit_case drm_sched_credit_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_rq_credit_limit, limit_gen_params),
	KUNIT_CASE_PARAM(drm_sched_rq_credit_mixed, mixed_gen_params),
	KUNIT_CASE(drm_sched_rq_credit_wait),
	KUNIT_CASE(drm_sched_rq_update_credits),
	KUNIT_CASE(drm_sched_rq_no_update_credits),
	KUNIT_CASE(drm_sched_rq_credits_clamped),
	{}
};

static struct kunit_suite drm_sched_credit_suite = {
	.name = "drm_sched_credits",
	.test_cases = drm_sched_credit_cases,
};

kunit_test_suites(&drm_sched_rq_suite, &drm_sched_credit_suite);
