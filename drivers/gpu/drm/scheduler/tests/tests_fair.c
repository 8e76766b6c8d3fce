// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The experimental fair policy: GPU-time shares by weight, no starvation,
 * progress of many clients, what is left of the priority bands, and how a
 * scheduler picks its policy.
 *
 * The workloads run the fake ring on a virtual clock: the test completes
 * the head job, which moves the clock on by exactly that job's length, tops
 * up the client it belonged to and lets the workers settle, with the
 * workers paused while it does so. Every pick therefore sees the same
 * picture on every run and every CPU count, and the GPU time the test
 * counts is the time the scheduler charges.
 */

#include <kunit/test.h>
#include <linux/prandom.h>

#include "../sched_kunit.h"
#include "sched_tests.h"

#define NS_PER_MS	1000000ULL

/* A client that keeps @depth jobs of the same shape outstanding. */
struct fair_client {
	struct drm_mock_sched_entity *entity;
	enum drm_sched_priority prio;
	u64 len_ns;
	u32 credits;
	unsigned int outstanding;
	unsigned int completed;
	u64 gpu_ns;
	u64 last_done;
	u64 max_gap;
};

struct fair_world {
	struct kunit *test;
	struct drm_mock_scheduler *sched;
	struct fair_client *clients;
	unsigned int count;
	unsigned int depth;
	/* Index of the client of every completion, in order, when not NULL. */
	u8 *order;
	unsigned int order_len;
	unsigned int order_max;
};

static struct fair_world *fair_world_new(struct kunit *test, int policy,
					 u32 credit_limit, unsigned int count,
					 unsigned int depth)
{
	struct drm_mock_sched_params params = {
		.credit_limit = credit_limit,
		.override_policy = true,
		.policy = policy,
	};
	struct fair_world *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->clients = kunit_kcalloc(test, count, sizeof(*w->clients), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->clients);
	w->test = test;
	w->count = count;
	w->depth = depth;
	w->sched = drm_mock_sched_new_params(test, &params);
	drm_mock_sched_use_virtual_clock(w->sched);
	return w;
}

static void fair_client_init(struct fair_world *w, unsigned int i,
			     enum drm_sched_priority prio, u64 len_ns, u32 credits)
{
	struct fair_client *c = &w->clients[i];

	c->prio = prio;
	c->len_ns = len_ns;
	c->credits = credits;
	c->entity = drm_mock_sched_entity_new(w->test, prio, w->sched);
}

static void fair_top_up(struct fair_world *w, struct fair_client *c)
{
	while (c->outstanding < w->depth) {
		struct drm_mock_sched_job *job =
			drm_mock_sched_job_new_credits(w->test, c->entity, c->credits);

		job->virtual_ns = c->len_ns;
		job->tag = c;
		drm_mock_sched_job_submit(job);
		c->outstanding++;
	}
}

/* Lets the paused workers pick with everything the test queued in view. */
static void fair_resume(struct fair_world *w)
{
	drm_sched_wqueue_start(&w->sched->base);
	drm_mock_sched_settle(w->sched);
}

/*
 * Runs the ring until the virtual clock reaches @until ns, the first
 * @count clients kept busy. Fails the test when the ring runs dry.
 */
static void fair_run(struct fair_world *w, u64 until)
{
	struct kunit *test = w->test;
	unsigned int i;

	drm_sched_wqueue_stop(&w->sched->base);
	for (i = 0; i < w->count; i++)
		fair_top_up(w, &w->clients[i]);
	fair_resume(w);

	while (drm_mock_sched_virtual_now(w->sched) < until) {
		struct drm_mock_sched_job *job;
		struct fair_client *c;
		u64 now;

		drm_sched_wqueue_stop(&w->sched->base);
		job = drm_mock_sched_retire_virtual(w->sched);
		KUNIT_ASSERT_NOT_NULL_MSG(test, job, "the ring ran dry at %llu ns",
					  drm_mock_sched_virtual_now(w->sched));
		now = drm_mock_sched_virtual_now(w->sched);
		c = job->tag;
		c->completed++;
		c->outstanding--;
		c->gpu_ns += job->virtual_ns;
		c->max_gap = max(c->max_gap, now - c->last_done);
		c->last_done = now;
		if (w->order && w->order_len < w->order_max)
			w->order[w->order_len++] = c - w->clients;
		/* Clients past @count are left to run dry. */
		if (c - w->clients < w->count)
			fair_top_up(w, c);
		fair_resume(w);
	}
	/* A client that never completed waited for the whole run. */
	for (i = 0; i < w->count; i++)
		if (!w->clients[i].completed)
			w->clients[i].max_gap = until;
}

/*
 * Completes everything still queued or on the ring, with no more top-ups,
 * so that the entities' teardown finds their queues empty.
 */
static void fair_drain(struct fair_world *w)
{
	struct drm_mock_sched_job *job;

	drm_mock_sched_settle(w->sched);
	while ((job = drm_mock_sched_retire_virtual(w->sched))) {
		struct fair_client *c = job->tag;

		c->outstanding--;
		drm_mock_sched_settle(w->sched);
	}
}

static u64 fair_total_ns(const struct fair_world *w)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < w->count; i++)
		total += w->clients[i].gpu_ns;
	return total;
}

/* The weights the policy is documented to give: one halving per step. */
static unsigned int fair_weight(enum drm_sched_priority prio)
{
	return 1u << (DRM_SCHED_PRIORITY_LOW - prio);
}

/* Expected share of client @i in per mille. */
static unsigned int fair_expected_pm(const struct fair_world *w, unsigned int i)
{
	unsigned int sum = 0, j;

	for (j = 0; j < w->count; j++)
		sum += fair_weight(w->clients[j].prio);
	return fair_weight(w->clients[i].prio) * 1000 / sum;
}

static unsigned int fair_share_pm(const struct fair_world *w, unsigned int i)
{
	u64 total = fair_total_ns(w);

	return total ? div64_u64(w->clients[i].gpu_ns * 1000, total) : 0;
}

struct share_client {
	enum drm_sched_priority prio;
	unsigned int len_us;
	u32 credits;
};

struct share_case {
	const char *desc;
	struct share_client a, b;
};

static const struct share_case share_cases[] = {
	{ "normal-1ms-1cr-vs-normal-4ms-3cr",
	  { DRM_SCHED_PRIORITY_NORMAL, 1000, 1 }, { DRM_SCHED_PRIORITY_NORMAL, 4000, 3 } },
	{ "normal-1ms-vs-low-1ms",
	  { DRM_SCHED_PRIORITY_NORMAL, 1000, 1 }, { DRM_SCHED_PRIORITY_LOW, 1000, 1 } },
	{ "high-2ms-2cr-vs-normal-500us-1cr",
	  { DRM_SCHED_PRIORITY_HIGH, 2000, 2 }, { DRM_SCHED_PRIORITY_NORMAL, 500, 1 } },
	{ "kernel-1ms-vs-low-3ms-2cr",
	  { DRM_SCHED_PRIORITY_KERNEL, 1000, 1 }, { DRM_SCHED_PRIORITY_LOW, 3000, 2 } },
};

KUNIT_ARRAY_PARAM_DESC(share, share_cases, desc);

static const char *const policy_names[] = {
	[DRM_SCHED_POLICY_RR] = "rr",
	[DRM_SCHED_POLICY_FIFO] = "fifo",
	[DRM_SCHED_POLICY_FAIR] = "fair",
};

/* Virtual time every share workload runs for. */
#define SHARE_RUN_NS	(400 * NS_PER_MS)

/*
 * Two busy clients with different job lengths, credits and priorities get
 * GPU-time shares within 10% of their weights under the fair policy, and
 * the scheduler charges each exactly the GPU time it got. The same workload
 * also runs under RR and FIFO, for the table in drm-sched.rst; only fair's
 * figures are asserted.
 */
static void drm_sched_fair_shares_follow_weights(struct kunit *test)
{
	static const int policies[] = {
		DRM_SCHED_POLICY_RR, DRM_SCHED_POLICY_FIFO, DRM_SCHED_POLICY_FAIR,
	};
	const struct share_case *p = test->param_value;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(policies); k++) {
		struct fair_world *w = fair_world_new(test, policies[k], 4, 2, 4);
		unsigned int i;

		fair_client_init(w, 0, p->a.prio, p->a.len_us * 1000ULL, p->a.credits);
		fair_client_init(w, 1, p->b.prio, p->b.len_us * 1000ULL, p->b.credits);
		fair_run(w, SHARE_RUN_NS);

		kunit_info(test, "policy-table: %s %s: a %u.%u%% max wait %llu ms, b %u.%u%% max wait %llu ms\n",
			   p->desc, policy_names[policies[k]],
			   fair_share_pm(w, 0) / 10, fair_share_pm(w, 0) % 10,
			   div64_u64(w->clients[0].max_gap, NS_PER_MS),
			   fair_share_pm(w, 1) / 10, fair_share_pm(w, 1) % 10,
			   div64_u64(w->clients[1].max_gap, NS_PER_MS));
		if (policies[k] != DRM_SCHED_POLICY_FAIR) {
			fair_drain(w);
			continue;
		}

		for (i = 0; i < 2; i++) {
			unsigned int want = fair_expected_pm(w, i);
			unsigned int got = fair_share_pm(w, i);
			u64 charged = drm_sched_entity_runtime(&w->clients[i].entity->base,
							       NULL);

			KUNIT_EXPECT_LE_MSG(test, abs((int)got - (int)want) * 10, want,
					    "client %u got %u per mille, its weight says %u",
					    i, got, want);
			KUNIT_EXPECT_EQ_MSG(test, charged, w->clients[i].gpu_ns,
					    "client %u charged for other than its GPU time", i);
		}
		fair_drain(w);
	}
}

struct mix_case {
	const char *desc;
	u32 seed;
};

static const struct mix_case mix_cases[] = {
	{ "seed-1", 1 }, { "seed-2", 2 }, { "seed-3", 3 }, { "seed-4", 4 },
};

KUNIT_ARRAY_PARAM_DESC(mix, mix_cases, desc);

#define MIX_CLIENTS	6

/*
 * Six busy clients of random priorities, job lengths and credits: every
 * one completes jobs and gets at least half the share its weight gives it.
 * Under FIFO or RR the lower priorities would get nothing.
 */
static void drm_sched_fair_no_starvation(struct kunit *test)
{
	const struct mix_case *p = test->param_value;
	struct fair_world *w;
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, p->seed);
	w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, 4, MIX_CLIENTS, 2);
	for (i = 0; i < MIX_CLIENTS; i++)
		fair_client_init(w, i, prandom_u32_state(&rnd) % DRM_SCHED_PRIORITY_COUNT,
				 (500 + prandom_u32_state(&rnd) % 3500) * 1000ULL,
				 1 + prandom_u32_state(&rnd) % 3);
	fair_run(w, 600 * NS_PER_MS);
	fair_drain(w);

	for (i = 0; i < MIX_CLIENTS; i++) {
		unsigned int want = fair_expected_pm(w, i);

		KUNIT_EXPECT_GE_MSG(test, fair_share_pm(w, i) * 2, want,
				    "seed %u: client %u (priority %d, %llu us jobs) got %u per mille of %u",
				    p->seed, i, w->clients[i].prio,
				    div64_u64(w->clients[i].len_ns, 1000),
				    fair_share_pm(w, i), want);
	}
}

static const struct mix_case many_cases[] = {
	{ "2-clients", 2 }, { "3-clients", 3 }, { "8-clients", 8 },
	{ "16-clients", 16 }, { "31-clients", 31 },
};

KUNIT_ARRAY_PARAM_DESC(many, many_cases, desc);

#define MANY_LIMIT	2
#define MANY_ROUNDS	12
#define MANY_MAX	31

/*
 * N busy clients of one priority and one job length, N from 2 to 31, on a
 * ring of two credits. The stated bound: no client waits for more than 2N
 * completions of others between two of its own, and at no point has one
 * client completed more than two jobs more than another. (After the first
 * round they take strict turns.)
 */
static void drm_sched_fair_many_clients_progress(struct kunit *test)
{
	const struct mix_case *p = test->param_value;
	unsigned int last[MANY_MAX] = {}, done[MANY_MAX] = {};
	unsigned int n = p->seed, worst = 0;
	struct fair_world *w;
	unsigned int i, j;

	w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, MANY_LIMIT, n, 2);
	w->order_max = n * MANY_ROUNDS;
	w->order = kunit_kzalloc(test, w->order_max, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->order);
	for (i = 0; i < n; i++)
		fair_client_init(w, i, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	fair_run(w, (u64)n * MANY_ROUNDS * NS_PER_MS);
	fair_drain(w);
	KUNIT_ASSERT_EQ(test, w->order_len, w->order_max);

	for (j = 0; j < w->order_len; j++) {
		unsigned int c = w->order[j], most = 0, least = UINT_MAX;

		worst = max(worst, j + 1 - last[c]);
		last[c] = j + 1;
		done[c]++;
		for (i = 0; i < n; i++) {
			most = max(most, done[i]);
			least = min(least, done[i]);
		}
		KUNIT_ASSERT_LE_MSG(test, most - least, 2,
				    "after %u completions one client leads by %u",
				    j + 1, most - least);
	}
	for (i = 0; i < n; i++)
		worst = max(worst, w->order_len + 1 - last[i]);
	kunit_info(test, "progress: %u clients, longest wait %u completions\n",
		   n, worst);
	KUNIT_EXPECT_LE(test, worst, 2 * n);
}

/*
 * With no history, entities of all four priorities queued at once run
 * highest priority first, as under FIFO and RR.
 */
static void drm_sched_fair_priority_first_on_tie(struct kunit *test)
{
	struct fair_world *w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, 1,
					      DRM_SCHED_PRIORITY_COUNT, 1);
	struct drm_mock_sched_job *job;
	int prio;

	drm_sched_wqueue_stop(&w->sched->base);
	for (prio = DRM_SCHED_PRIORITY_LOW; prio >= DRM_SCHED_PRIORITY_KERNEL; prio--) {
		fair_client_init(w, prio, prio, NS_PER_MS, 1);
		fair_top_up(w, &w->clients[prio]);
	}
	fair_resume(w);

	for (prio = DRM_SCHED_PRIORITY_KERNEL; prio <= DRM_SCHED_PRIORITY_LOW; prio++) {
		drm_sched_wqueue_stop(&w->sched->base);
		job = drm_mock_sched_retire_virtual(w->sched);
		KUNIT_ASSERT_NOT_NULL(test, job);
		KUNIT_EXPECT_PTR_EQ(test, job->tag, &w->clients[prio]);
		fair_resume(w);
	}
}

/*
 * A higher priority entity that becomes busy while a lower one has been
 * running runs next: it joins at the scheduler's clock, where the busy one
 * is at best, and wins the tie.
 */
static void drm_sched_fair_new_high_runs_next(struct kunit *test)
{
	struct fair_world *w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, 1, 2, 2);
	struct drm_mock_sched_job *job;

	fair_client_init(w, 0, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	w->count = 1;
	fair_run(w, 20 * NS_PER_MS);

	drm_sched_wqueue_stop(&w->sched->base);
	w->count = 2;
	fair_client_init(w, 1, DRM_SCHED_PRIORITY_HIGH, NS_PER_MS, 1);
	fair_top_up(w, &w->clients[1]);
	fair_resume(w);

	/* The ring holds one job of the busy client; the next is the new one. */
	job = drm_mock_sched_retire_virtual(w->sched);
	KUNIT_ASSERT_NOT_NULL(test, job);
	KUNIT_EXPECT_PTR_EQ(test, job->tag, &w->clients[0]);
	drm_mock_sched_settle(w->sched);
	job = drm_mock_sched_retire_virtual(w->sched);
	KUNIT_ASSERT_NOT_NULL(test, job);
	KUNIT_EXPECT_PTR_EQ(test, job->tag, &w->clients[1]);
	w->clients[0].outstanding--;
	w->clients[1].outstanding--;
	fair_drain(w);
}

/*
 * An entity that ran, then was idle while another ran for 100 ms, earns
 * nothing by it: once both are busy again they alternate, instead of the
 * one that was idle running 100 ms worth of jobs in a row.
 */
static void drm_sched_fair_idle_earns_nothing(struct kunit *test)
{
	struct fair_world *w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, 1, 2, 2);
	unsigned int before[2];

	fair_client_init(w, 0, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	fair_client_init(w, 1, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	fair_run(w, 20 * NS_PER_MS);

	/* Client 1 is not topped up: its last jobs complete, then it idles. */
	w->count = 1;
	fair_run(w, 120 * NS_PER_MS);
	KUNIT_ASSERT_EQ(test, w->clients[1].outstanding, 0);
	before[0] = w->clients[0].completed;
	before[1] = w->clients[1].completed;

	w->count = 2;
	fair_run(w, 160 * NS_PER_MS);
	KUNIT_EXPECT_GE(test, w->clients[0].completed - before[0], 18);
	KUNIT_EXPECT_LE(test, w->clients[1].completed - before[1], 22);
	fair_drain(w);
}

/*
 * A new entity pays in advance for its first jobs too, with the time the
 * scheduler's last job took: it does not fill a deep ring by itself while
 * its first job runs. After it arrives, the jobs run alternate.
 */
static void drm_sched_fair_new_entity_shares_the_ring(struct kunit *test)
{
	struct fair_world *w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, 4, 2, 4);
	unsigned int i, run = 0, longest = 0;

	w->order_max = 16;
	w->order = kunit_kzalloc(test, w->order_max, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->order);
	fair_client_init(w, 0, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	w->count = 1;
	fair_run(w, 20 * NS_PER_MS);

	w->order_len = 0;
	w->count = 2;
	fair_client_init(w, 1, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	/* The ring holds four jobs of client 0; what follows is the choice. */
	fair_run(w, 40 * NS_PER_MS);
	fair_drain(w);
	KUNIT_ASSERT_EQ(test, w->order_len, w->order_max);

	for (i = 4; i < w->order_len; i++) {
		run = w->order[i] == 1 ? run + 1 : 0;
		longest = max(longest, run);
	}
	KUNIT_EXPECT_LE_MSG(test, longest, 2,
			    "the new client ran %u jobs in a row", longest);
	KUNIT_EXPECT_GE(test, w->clients[1].completed, 6);
}

/*
 * A job still on the hardware when its entity is torn down charges its
 * GPU time when it completes: the record it charges outlives the entity,
 * and nothing is used after it was freed (KASAN watches in the debug runs).
 */
static void drm_sched_fair_charge_after_entity_fini(struct kunit *test)
{
	struct fair_world *w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, 4, 1, 3);
	struct drm_mock_sched_job *job;
	unsigned int retired = 0;

	fair_client_init(w, 0, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	fair_top_up(w, &w->clients[0]);
	drm_mock_sched_settle(w->sched);
	KUNIT_ASSERT_EQ(test, drm_mock_sched_hw_pending(w->sched), 3);

	drm_mock_sched_entity_free(w->clients[0].entity);
	while ((job = drm_mock_sched_retire_virtual(w->sched))) {
		KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), 0);
		retired++;
	}
	KUNIT_EXPECT_EQ(test, retired, 3);
	drm_mock_sched_settle(w->sched);
}

/* Never called: drm_sched_init() refuses the scheduler first. */
static struct dma_fence *never_run(struct drm_sched_job *job)
{
	return NULL;
}

static void never_free(struct drm_sched_job *job)
{
}

/*
 * The time a reset keeps the scheduler stopped is nobody's GPU time: the
 * job run again and completing after drm_sched_start() is charged its own
 * length, not the 100 ms the reset took.
 */
static void drm_sched_fair_reset_time_not_charged(struct kunit *test)
{
	struct fair_world *w = fair_world_new(test, DRM_SCHED_POLICY_FAIR, 1, 1, 1);
	struct drm_mock_sched_job *job;

	fair_client_init(w, 0, DRM_SCHED_PRIORITY_NORMAL, NS_PER_MS, 1);
	fair_top_up(w, &w->clients[0]);
	drm_mock_sched_settle(w->sched);
	KUNIT_ASSERT_EQ(test, drm_mock_sched_hw_pending(w->sched), 1);

	/* A driver's recovery: stop, reset the ring, run the job again, start. */
	drm_sched_stop(&w->sched->base, NULL);
	KUNIT_ASSERT_EQ(test, drm_mock_sched_hw_reset(w->sched, -EIO), 1);
	atomic64_add(100 * NS_PER_MS, &w->sched->virtual_now);
	drm_sched_resubmit_jobs(&w->sched->base);
	drm_sched_start(&w->sched->base);

	job = drm_mock_sched_retire_virtual(w->sched);
	KUNIT_ASSERT_NOT_NULL(test, job);
	KUNIT_EXPECT_TRUE(test, drm_mock_sched_job_wait_finished(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_sched_entity_runtime(&w->clients[0].entity->base, NULL),
			NS_PER_MS);
	w->clients[0].outstanding--;
	fair_drain(w);
}

/* A scheduler whose init args name an unknown policy is refused. */
static void drm_sched_fair_init_bad_policy(struct kunit *test)
{
	static const struct drm_sched_backend_ops ops = {
		.run_job = never_run,
		.free_job = never_free,
	};
	static const int bad[] = { -1, 3, 100 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drm_sched_init_args args = {
			.ops = &ops,
			.num_rqs = 1,
			.credit_limit = 1,
			.timeout = MAX_SCHEDULE_TIMEOUT,
			.name = "bad-policy",
			.override_policy = true,
			.policy = bad[i],
		};
		struct drm_gpu_scheduler sched = {};

		KUNIT_EXPECT_EQ_MSG(test, drm_sched_init(&sched, &args), -EINVAL,
				    "policy %d", bad[i]);
		KUNIT_EXPECT_NULL(test, sched.sched_rq);
	}
}

struct which_case {
	const char *desc;
	int module_policy;
	bool override;
	int policy;
	bool fair;
};

static const struct which_case which_cases[] = {
	{ "module-fair", DRM_SCHED_POLICY_FAIR, false, 0, true },
	{ "module-fifo", DRM_SCHED_POLICY_FIFO, false, 0, false },
	{ "args-fair-over-module-fifo", DRM_SCHED_POLICY_FIFO, true,
	  DRM_SCHED_POLICY_FAIR, true },
	{ "args-fifo-over-module-fair", DRM_SCHED_POLICY_FAIR, true,
	  DRM_SCHED_POLICY_FIFO, false },
	{ "module-unknown-is-fifo", 7, false, 0, false },
};

KUNIT_ARRAY_PARAM_DESC(which, which_cases, desc);

/*
 * The policy comes from the init args when they name one, else from the
 * sched_policy module parameter, where an unknown value means FIFO. Seen
 * from what runs: after client 0 used 10 ms alone, it pushes before a new
 * client 1. FIFO runs client 0 first, fair runs client 1 first.
 */
static void drm_sched_fair_policy_source(struct kunit *test)
{
	const struct which_case *p = test->param_value;
	struct drm_mock_sched_params params = {
		.credit_limit = 1,
		.override_policy = p->override,
		.policy = p->policy,
	};
	struct drm_mock_sched_entity *a, *b;
	struct drm_mock_sched_job *job;
	struct drm_mock_scheduler *sched;
	unsigned int i;

	drm_mock_sched_use_policy(test, p->module_policy);

	sched = drm_mock_sched_new_params(test, &params);
	drm_mock_sched_use_virtual_clock(sched);
	a = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	b = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);

	for (i = 0; i < 10; i++) {
		job = drm_mock_sched_job_new(test, a);
		job->virtual_ns = NS_PER_MS;
		drm_mock_sched_job_submit(job);
		drm_mock_sched_settle(sched);
		KUNIT_ASSERT_PTR_EQ(test, drm_mock_sched_retire_virtual(sched), job);
		drm_mock_sched_settle(sched);
	}

	drm_sched_wqueue_stop(&sched->base);
	job = drm_mock_sched_job_new(test, a);
	job->tag = a;
	drm_mock_sched_job_submit(job);
	job = drm_mock_sched_job_new(test, b);
	job->tag = b;
	drm_mock_sched_job_submit(job);
	drm_sched_wqueue_start(&sched->base);
	drm_mock_sched_settle(sched);

	job = drm_mock_sched_retire_virtual(sched);
	KUNIT_ASSERT_NOT_NULL(test, job);
	KUNIT_EXPECT_PTR_EQ(test, job->tag, p->fair ? (void *)b : (void *)a);
	drm_mock_sched_settle(sched);
	KUNIT_EXPECT_NOT_NULL(test, drm_mock_sched_retire_virtual(sched));
}

static struct kunit_case drm_sched_fair_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_fair_shares_follow_weights, share_gen_params),
	KUNIT_CASE_PARAM(drm_sched_fair_no_starvation, mix_gen_params),
	KUNIT_CASE_PARAM(drm_sched_fair_many_clients_progress, many_gen_params),
	KUNIT_CASE(drm_sched_fair_priority_first_on_tie),
	KUNIT_CASE(drm_sched_fair_new_high_runs_next),
	KUNIT_CASE(drm_sched_fair_idle_earns_nothing),
	KUNIT_CASE(drm_sched_fair_new_entity_shares_the_ring),
	KUNIT_CASE(drm_sched_fair_charge_after_entity_fini),
	KUNIT_CASE(drm_sched_fair_reset_time_not_charged),
	KUNIT_CASE(drm_sched_fair_init_bad_policy),
	KUNIT_CASE_PARAM(drm_sched_fair_policy_source, which_gen_params),
	{}
};

static struct kunit_suite drm_sched_fair_suite = {
	.name = "drm_sched_fair",
	.test_cases = drm_sched_fair_cases,
};

kunit_test_suite(drm_sched_fair_suite);
