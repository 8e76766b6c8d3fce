// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Stress: a randomized dependency graph over several schedulers and
 * entities (fixed, printed seeds), concurrent submitters, and entities
 * coming and going while jobs run. The checks are invariants that hold
 * whatever the timing: dependencies satisfied at run_job, per-entity push
 * order, one completion and one free per job, and no leaked job.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "sched_tests.h"

/*
 * 'make stress' boots the suites again and again with another value, so
 * that every seeded case explores new interleavings and graphs; 0 keeps
 * the seeds of the case tables.
 */
static ulong stress_seed;
module_param(stress_seed, ulong, 0444);
MODULE_PARM_DESC(stress_seed, "added to the seed of every seeded stress case (0: the fixed seeds)");

/* The module parameter while drm_sched_stress_fair runs. */
static int drm_sched_stress_saved_policy;

/* The seed a case really uses; printed so that a failure can be replayed. */
static u64 stress_case_seed(struct kunit *test, u64 base)
{
	u64 seed = base + (u64)stress_seed * 1000003;

	kunit_info(test, "seed %llu (stress_seed=%lu)\n", seed, stress_seed);
	return seed;
}

struct finish_probe {
	struct dma_fence_cb cb;
	atomic_t calls;
};

static void finish_probe_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct finish_probe *probe = container_of(cb, struct finish_probe, cb);

	atomic_inc(&probe->calls);
}

/* Count completions of @job's finished fence in @probe. */
static void watch_finished(struct drm_mock_sched_job *job,
			   struct finish_probe *probe)
{
	atomic_set(&probe->calls, 0);
	if (dma_fence_add_callback(job->finished, &probe->cb, finish_probe_cb))
		atomic_inc(&probe->calls);
}

/* Jobs of each entity must have run in the order they were pushed. */
static void check_entity_order(struct kunit *test, struct drm_mock_sched_job **jobs,
			       unsigned int *entity_of, unsigned int n,
			       unsigned int entities)
{
	unsigned int e, i;

	for (e = 0; e < entities; e++) {
		u64 last = 0;

		for (i = 0; i < n; i++) {
			if (entity_of[i] != e)
				continue;
			KUNIT_EXPECT_GT_MSG(test, drm_mock_sched_job_order(jobs[i]), last,
					    "job %u of entity %u overtook", i, e);
			last = drm_mock_sched_job_order(jobs[i]);
		}
	}
}

struct dag_case {
	const char *desc;
	u64 seed;
	unsigned int jobs;
	unsigned int entities;
	unsigned int scheds;
	unsigned int gates;
};

static const struct dag_case dag_cases[] = {
	{ "seed-1-150-jobs", 1, 150, 5, 2, 8 },
	{ "seed-2-300-jobs", 2, 300, 8, 3, 16 },
	{ "seed-3-300-jobs", 3, 300, 6, 1, 4 },
	{ "seed-4-1000-jobs", 4, 1000, 12, 4, 32 },
};

KUNIT_ARRAY_PARAM_DESC(dag, dag_cases, desc);

/*
 * Random jobs on random entities (a few of them spread over several
 * schedulers), each depending on up to three earlier jobs' finished fences
 * and sometimes on an external gate; the gates open in random order after
 * all pushes. Every job must run once with its dependencies satisfied, in
 * push order within its entity, finish without error exactly once and be
 * freed once.
 */
static void drm_sched_stress_dag(struct kunit *test)
{
	const struct dag_case *p = test->param_value;
	struct drm_mock_sched_entity **entities;
	struct drm_mock_scheduler **scheds;
	struct drm_gpu_scheduler **list;
	struct drm_mock_sched_job **jobs;
	struct finish_probe *probes;
	struct dma_fence **gates;
	unsigned int *entity_of;
	u32 *limit_of;
	struct rnd_state rnd;
	unsigned int i, k;

	prandom_seed_state(&rnd, stress_case_seed(test, p->seed));

	scheds = kunit_kcalloc(test, p->scheds, sizeof(*scheds), GFP_KERNEL);
	list = kunit_kcalloc(test, p->scheds, sizeof(*list), GFP_KERNEL);
	entities = kunit_kcalloc(test, p->entities, sizeof(*entities), GFP_KERNEL);
	jobs = kunit_kcalloc(test, p->jobs, sizeof(*jobs), GFP_KERNEL);
	probes = kunit_kcalloc(test, p->jobs, sizeof(*probes), GFP_KERNEL);
	entity_of = kunit_kcalloc(test, p->jobs, sizeof(*entity_of), GFP_KERNEL);
	gates = kunit_kcalloc(test, p->gates, sizeof(*gates), GFP_KERNEL);
	limit_of = kunit_kcalloc(test, p->jobs, sizeof(*limit_of), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, limit_of);
	KUNIT_ASSERT_NOT_NULL(test, scheds);
	KUNIT_ASSERT_NOT_NULL(test, list);
	KUNIT_ASSERT_NOT_NULL(test, entities);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_ASSERT_NOT_NULL(test, probes);
	KUNIT_ASSERT_NOT_NULL(test, entity_of);
	KUNIT_ASSERT_NOT_NULL(test, gates);

	for (i = 0; i < p->scheds; i++) {
		struct drm_mock_sched_params params = {
			.credit_limit = 2 + prandom_u32_state(&rnd) % 6,
		};

		scheds[i] = drm_mock_sched_new_params(test, &params);
		list[i] = &scheds[i]->base;
	}
	for (i = 0; i < p->entities; i++) {
		enum drm_sched_priority prio = prandom_u32_state(&rnd) % DRM_SCHED_PRIORITY_COUNT;

		if (i < 2 && p->scheds > 1)
			entities[i] = drm_mock_sched_entity_new_multi(test, prio, list,
								      p->scheds, NULL);
		else
			entities[i] = drm_mock_sched_entity_new(test, prio,
								scheds[prandom_u32_state(&rnd) %
								       p->scheds]);
	}
	for (i = 0; i < p->gates; i++)
		gates[i] = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);

	for (i = 0; i < p->jobs; i++) {
		unsigned int e = prandom_u32_state(&rnd) % p->entities;
		unsigned int ndeps = i ? prandom_u32_state(&rnd) % 4 : 0;
		u32 credits = 1 + prandom_u32_state(&rnd) % 2;

		entity_of[i] = e;
		jobs[i] = drm_mock_sched_job_new_credits(test, entities[e], credits);
		jobs[i]->duration_us = 20 + prandom_u32_state(&rnd) % 200;
		for (k = 0; k < ndeps; k++) {
			struct dma_fence *dep = jobs[prandom_u32_state(&rnd) % i]->finished;

			KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&jobs[i]->base,
									   dma_fence_get(dep)), 0);
		}
		if (prandom_u32_state(&rnd) % 8 == 0) {
			struct dma_fence *gate = gates[prandom_u32_state(&rnd) % p->gates];

			KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&jobs[i]->base,
									   dma_fence_get(gate)), 0);
		}
		drm_mock_sched_job_arm(jobs[i]);
		limit_of[i] = jobs[i]->base.sched->credit_limit;
		watch_finished(jobs[i], &probes[i]);
		drm_mock_sched_job_push(jobs[i]);
	}

	/* Open the gates in a random order. */
	for (i = p->gates; i > 1; i--) {
		k = prandom_u32_state(&rnd) % i;
		swap(gates[i - 1], gates[k]);
	}
	for (i = 0; i < p->gates; i++)
		drm_mock_fence_signal(gates[i], 0);

	for (i = 0; i < p->jobs; i++)
		KUNIT_ASSERT_TRUE_MSG(test, drm_mock_sched_job_wait_freed(jobs[i], 10 * HZ),
				      "job %u never completed", i);

	for (i = 0; i < p->jobs; i++) {
		KUNIT_EXPECT_FALSE_MSG(test, jobs[i]->deps_violation,
				       "job %u ran before its dependencies", i);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_calls), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&probes[i].calls), 1);
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), 0);
		KUNIT_EXPECT_LE(test, jobs[i]->hw_credits_at_run, limit_of[i]);
	}
	check_entity_order(test, jobs, entity_of, p->jobs, p->entities);
	for (i = 0; i < p->scheds; i++)
		KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(scheds[i]), 0);
}

/* Concurrent submitters ------------------------------------------------- */

struct submitter {
	struct drm_mock_sched_job **jobs;
	unsigned int n;
	wait_queue_head_t *gate_wq;
	bool *go;
	struct completion done;
	struct task_struct *task;
};

static int submitter_fn(void *data)
{
	struct submitter *s = data;
	unsigned int i;

	wait_event(*s->gate_wq, READ_ONCE(*s->go) || kthread_should_stop());
	if (READ_ONCE(*s->go)) {
		for (i = 0; i < s->n; i++) {
			drm_mock_sched_job_submit(s->jobs[i]);
			if (i % 16 == 15)
				cond_resched();
		}
	}
	complete(&s->done);

	/* Stay around until joined, so that kthread_stop() is always valid. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void submitter_join(struct submitter *s)
{
	kthread_stop(s->task);
	put_task_struct(s->task);
}

KUNIT_DEFINE_ACTION_WRAPPER(submitter_join_action, submitter_join,
			    struct submitter *);

/* Start a kthread that pushes @n prepared jobs once *@go is set. */
static struct submitter *submitter_start(struct kunit *test,
					 struct drm_mock_sched_job **jobs,
					 unsigned int n, wait_queue_head_t *gate_wq,
					 bool *go, unsigned int idx)
{
	struct submitter *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct task_struct *task;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->jobs = jobs;
	s->n = n;
	s->gate_wq = gate_wq;
	s->go = go;
	init_completion(&s->done);

	task = kthread_run(submitter_fn, s, "drm-sched-sub%u", idx);
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	s->task = get_task_struct(task);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, submitter_join_action, s), 0);
	return s;
}

KUNIT_DEFINE_ACTION_WRAPPER(stress_destroy_wq, destroy_workqueue,
			    struct workqueue_struct *);

struct conc_case {
	const char *desc;
	unsigned int threads;
	unsigned int jobs;
	u64 seed;
};

static const struct conc_case conc_cases[] = {
	{ "2-threads", 2, 100, 31 },
	{ "4-threads", 4, 80, 32 },
	{ "8-threads", 8, 40, 33 },
};

KUNIT_ARRAY_PARAM_DESC(conc, conc_cases, desc);

/*
 * Several kthreads, released together, push to their own entities on two
 * shared schedulers. Every job of every thread completes, in its entity's
 * order, with dependencies (own earlier jobs on the other entity of the
 * thread) satisfied.
 */
static void drm_sched_stress_concurrent_submit(struct kunit *test)
{
	const struct conc_case *p = test->param_value;
	struct drm_mock_scheduler *scheds[2];
	struct submitter **subs;
	struct drm_mock_sched_job **jobs;
	unsigned int *entity_of;
	wait_queue_head_t gate_wq;
	struct rnd_state rnd;
	unsigned int t, i, total = p->threads * p->jobs;
	bool go = false;

	prandom_seed_state(&rnd, stress_case_seed(test, p->seed));
	init_waitqueue_head(&gate_wq);
	scheds[0] = drm_mock_sched_new(test, 0);
	scheds[1] = drm_mock_sched_new(test, 0);
	subs = kunit_kcalloc(test, p->threads, sizeof(*subs), GFP_KERNEL);
	jobs = kunit_kcalloc(test, total, sizeof(*jobs), GFP_KERNEL);
	entity_of = kunit_kcalloc(test, total, sizeof(*entity_of), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, subs);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_ASSERT_NOT_NULL(test, entity_of);

	for (t = 0; t < p->threads; t++) {
		struct drm_mock_sched_entity *entity =
			drm_mock_sched_entity_new(test, t % DRM_SCHED_PRIORITY_COUNT,
						  scheds[t & 1]);
		struct drm_mock_sched_job **mine = &jobs[t * p->jobs];

		for (i = 0; i < p->jobs; i++) {
			mine[i] = drm_mock_sched_job_new(test, entity);
			mine[i]->duration_us = 10 + prandom_u32_state(&rnd) % 90;
			entity_of[t * p->jobs + i] = t;
		}
		subs[t] = submitter_start(test, mine, p->jobs, &gate_wq, &go, t);
	}

	WRITE_ONCE(go, true);
	wake_up_all(&gate_wq);
	for (t = 0; t < p->threads; t++)
		KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&subs[t]->done,
								  DRM_MOCK_WAIT), 0);

	for (i = 0; i < total; i++)
		KUNIT_ASSERT_TRUE_MSG(test, drm_mock_sched_job_wait_freed(jobs[i], 10 * HZ),
				      "job %u never completed", i);
	for (i = 0; i < total; i++) {
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 1);
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(jobs[i]), 0);
	}
	check_entity_order(test, jobs, entity_of, total, p->threads);
	KUNIT_EXPECT_EQ(test, atomic_read(&scheds[0]->free_count) +
			atomic_read(&scheds[1]->free_count), total);
}

/*
 * Entities are created, fed and destroyed over and over while submitter
 * threads keep two long-lived entities busy. Destroy flushes, so every
 * job of a short-lived entity still runs and completes normally.
 */
static void drm_sched_stress_entity_churn(struct kunit *test)
{
	const unsigned int rounds = 40, per_round = 3, stream = 150;
	struct drm_mock_sched_job **churn_jobs, **stream_jobs;
	struct drm_mock_scheduler *scheds[2];
	struct submitter *subs[2];
	wait_queue_head_t gate_wq;
	unsigned int r, i, t;
	bool go = false;

	init_waitqueue_head(&gate_wq);
	scheds[0] = drm_mock_sched_new(test, 0);
	scheds[1] = drm_mock_sched_new(test, 0);
	churn_jobs = kunit_kcalloc(test, rounds * per_round, sizeof(*churn_jobs),
				   GFP_KERNEL);
	stream_jobs = kunit_kcalloc(test, 2 * stream, sizeof(*stream_jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, churn_jobs);
	KUNIT_ASSERT_NOT_NULL(test, stream_jobs);

	for (t = 0; t < 2; t++) {
		struct drm_mock_sched_entity *entity =
			drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
						  scheds[t]);

		for (i = 0; i < stream; i++) {
			stream_jobs[t * stream + i] = drm_mock_sched_job_new(test, entity);
			stream_jobs[t * stream + i]->duration_us = 50;
		}
		subs[t] = submitter_start(test, &stream_jobs[t * stream], stream,
					  &gate_wq, &go, t);
	}
	WRITE_ONCE(go, true);
	wake_up_all(&gate_wq);

	for (r = 0; r < rounds; r++) {
		struct drm_mock_sched_entity *entity =
			drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_HIGH,
						  scheds[r & 1]);

		for (i = 0; i < per_round; i++) {
			struct drm_mock_sched_job *job = drm_mock_sched_job_new(test, entity);

			job->duration_us = 20;
			drm_mock_sched_job_submit(job);
			churn_jobs[r * per_round + i] = job;
		}
		drm_mock_sched_entity_free(entity);
	}

	for (t = 0; t < 2; t++)
		KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&subs[t]->done,
								  DRM_MOCK_WAIT), 0);
	for (i = 0; i < rounds * per_round; i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(churn_jobs[i],
								      10 * HZ));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(churn_jobs[i]), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&churn_jobs[i]->run_count), 1);
	}
	for (i = 0; i < 2 * stream; i++) {
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(stream_jobs[i],
								      10 * HZ));
		KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(stream_jobs[i]), 0);
	}
}

/*
 * Many short jobs through a small ring, advanced by hand in random chunk
 * sizes: the timeline and the scheduler agree on every completion.
 */
static void drm_sched_stress_manual_chunks(struct kunit *test)
{
	struct drm_mock_sched_params params = { .credit_limit = 5 };
	const unsigned int n = 500;
	struct drm_mock_sched_entity *entities[3];
	struct drm_mock_sched_job **jobs;
	struct drm_mock_scheduler *sched;
	unsigned int *entity_of;
	struct rnd_state rnd;
	unsigned int i, done = 0;

	prandom_seed_state(&rnd, stress_case_seed(test, 41));
	sched = drm_mock_sched_new_params(test, &params);
	jobs = kunit_kcalloc(test, n, sizeof(*jobs), GFP_KERNEL);
	entity_of = kunit_kcalloc(test, n, sizeof(*entity_of), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_ASSERT_NOT_NULL(test, entity_of);
	for (i = 0; i < ARRAY_SIZE(entities); i++)
		entities[i] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
							sched);

	for (i = 0; i < n; i++) {
		entity_of[i] = prandom_u32_state(&rnd) % ARRAY_SIZE(entities);
		jobs[i] = drm_mock_sched_job_new(test, entities[entity_of[i]]);
		drm_mock_sched_job_submit(jobs[i]);
	}

	while (done < n) {
		unsigned int want = 1 + prandom_u32_state(&rnd) % 5;
		unsigned int ready = min(done + want, n);

		/* Wait until the ring is as full as it can get, then retire. */
		KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched,
								 min(done + 5, n),
								 DRM_MOCK_WAIT));
		KUNIT_EXPECT_LE(test, drm_mock_sched_hw_pending(sched), 5);
		done += drm_mock_sched_advance(sched, ready - done);
	}
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(sched, n, 10 * HZ));
	check_entity_order(test, jobs, entity_of, n, ARRAY_SIZE(entities));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_LE(test, jobs[i]->hw_credits_at_run, 5);
}

/* Teardown and timeouts racing completions ------------------------------ */

struct smp_case {
	const char *desc;
	u64 seed;
	unsigned int rounds;
};

static const struct smp_case kill_cases[] = {
	{ "seed-51", 51, 30 },
	{ "seed-52", 52, 30 },
};

KUNIT_ARRAY_PARAM_DESC(kill, kill_cases, desc);

#define SMP_ENTITIES	3
#define SMP_JOBS	8

/* Waits until @job was freed, exactly once, and returns its error. */
static int stress_outcome(struct kunit *test, struct drm_mock_sched_job *job,
			  unsigned int round, unsigned int idx, unsigned int entity)
{
	KUNIT_ASSERT_TRUE_MSG(test, drm_mock_sched_job_wait_freed(job, 10 * HZ),
			      "round %u: job %u of entity %u never freed",
			      round, idx, entity);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_calls), 1);
	return drm_mock_sched_job_error(job);
}

/*
 * Per round: one kthread per entity pushes jobs that complete on their own
 * timer, some depending on another entity's jobs, while the test thread
 * kills one entity at a random moment. Every job finishes and is freed
 * exactly once; on the killed entity, once a job is cancelled with -ESRCH
 * every later one is too, and nothing else fails.
 */
static void drm_sched_stress_kill_vs_completion(struct kunit *test)
{
	const struct smp_case *p = test->param_value;
	struct drm_mock_scheduler *sched = drm_mock_sched_new(test, 0);
	struct rnd_state rnd;
	unsigned int r, e, i;

	prandom_seed_state(&rnd, stress_case_seed(test, p->seed));
	for (r = 0; r < p->rounds; r++) {
		struct drm_mock_sched_job *jobs[SMP_ENTITIES][SMP_JOBS];
		struct drm_mock_sched_entity *entities[SMP_ENTITIES];
		struct submitter *subs[SMP_ENTITIES];
		unsigned int victim = prandom_u32_state(&rnd) % SMP_ENTITIES;
		struct dma_fence *gates[4];
		wait_queue_head_t gate_wq;
		bool go = false;

		init_waitqueue_head(&gate_wq);
		for (i = 0; i < ARRAY_SIZE(gates); i++)
			gates[i] = drm_mock_timeline_fence(drm_mock_timeline_new(test), 1);
		for (e = 0; e < SMP_ENTITIES; e++)
			entities[e] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
								sched);
		for (i = 0; i < SMP_JOBS; i++) {
			for (e = 0; e < SMP_ENTITIES; e++) {
				struct drm_mock_sched_job *job;
				struct dma_fence *dep;

				job = drm_mock_sched_job_new(test, entities[e]);
				job->duration_us = 5 + prandom_u32_state(&rnd) % 60;
				jobs[e][i] = job;
				if (prandom_u32_state(&rnd) % 3)
					continue;
				dep = gates[prandom_u32_state(&rnd) % ARRAY_SIZE(gates)];
				KUNIT_ASSERT_EQ(test,
						drm_sched_job_add_dependency(&job->base,
									     dma_fence_get(dep)),
						0);
			}
		}
		for (e = 0; e < SMP_ENTITIES; e++)
			subs[e] = submitter_start(test, jobs[e], SMP_JOBS, &gate_wq, &go, e);

		WRITE_ONCE(go, true);
		wake_up_all(&gate_wq);
		/* Dependencies resolve on both sides of the kill. */
		drm_mock_fence_signal(gates[0], 0);
		udelay(prandom_u32_state(&rnd) % 300);
		drm_mock_fence_signal(gates[1], 0);
		drm_sched_entity_fini(&entities[victim]->base);
		entities[victim]->destroyed = true;
		drm_mock_fence_signal(gates[2], 0);
		drm_mock_fence_signal(gates[3], 0);

		for (e = 0; e < SMP_ENTITIES; e++)
			KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&subs[e]->done,
									  DRM_MOCK_WAIT), 0);
		for (e = 0; e < SMP_ENTITIES; e++) {
			bool cancelled = false;

			for (i = 0; i < SMP_JOBS; i++) {
				int error = stress_outcome(test, jobs[e][i], r, i, e);

				if (e != victim) {
					KUNIT_EXPECT_EQ(test, error, 0);
					continue;
				}
				KUNIT_EXPECT_TRUE_MSG(test, !error || error == -ESRCH,
						      "round %u: job %u error %d", r, i, error);
				KUNIT_EXPECT_FALSE_MSG(test, cancelled && !error,
						       "round %u: job %u ran after a cancelled one",
						       r, i);
				cancelled |= error == -ESRCH;
			}
		}
		for (e = 0; e < SMP_ENTITIES; e++)
			drm_mock_sched_entity_free(entities[e]);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->double_free), 0);
	KUNIT_EXPECT_EQ(test, drm_mock_sched_credits(sched), 0);
}

static const struct smp_case fini_cases[] = {
	{ "seed-61", 61, 20 },
	{ "seed-62", 62, 20 },
};

KUNIT_ARRAY_PARAM_DESC(fini, fini_cases, desc);

/*
 * Per round: a scheduler gets jobs from two submitter threads and is torn
 * down at a random moment while they complete on their timers. Every job
 * finishes and is freed exactly once, with 0 or -ECANCELED, or -ESRCH when
 * its push came after the teardown.
 */
static void drm_sched_stress_fini_vs_completion(struct kunit *test)
{
	const struct smp_case *p = test->param_value;
	struct rnd_state rnd;
	unsigned int r, e, i;

	prandom_seed_state(&rnd, stress_case_seed(test, p->seed));
	for (r = 0; r < p->rounds; r++) {
		struct drm_mock_scheduler *sched = drm_mock_sched_new(test, 0);
		struct drm_mock_sched_job *jobs[2][SMP_JOBS];
		struct drm_mock_sched_entity *entities[2];
		struct submitter *subs[2];
		wait_queue_head_t gate_wq;
		bool go = false;

		init_waitqueue_head(&gate_wq);
		for (e = 0; e < 2; e++) {
			entities[e] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL,
								sched);
			for (i = 0; i < SMP_JOBS; i++) {
				jobs[e][i] = drm_mock_sched_job_new(test, entities[e]);
				jobs[e][i]->duration_us = 5 + prandom_u32_state(&rnd) % 40;
			}
			subs[e] = submitter_start(test, jobs[e], SMP_JOBS, &gate_wq, &go, e);
		}

		WRITE_ONCE(go, true);
		wake_up_all(&gate_wq);
		udelay(prandom_u32_state(&rnd) % 200);
		drm_mock_sched_fini(sched);

		for (e = 0; e < 2; e++) {
			KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&subs[e]->done,
									  DRM_MOCK_WAIT), 0);
			for (i = 0; i < SMP_JOBS; i++) {
				int error = stress_outcome(test, jobs[e][i], r, i, e);

				KUNIT_EXPECT_TRUE_MSG(test, !error || error == -ECANCELED ||
						      error == -ESRCH,
						      "round %u: job %u error %d", r, i, error);
			}
		}
		KUNIT_EXPECT_EQ(test, atomic_read(&sched->double_free), 0);
	}
}

static const struct smp_case timeout_cases[] = {
	{ "seed-71", 71, 25 },
};

KUNIT_ARRAY_PARAM_DESC(timeout, timeout_cases, desc);

/*
 * A one-jiffy timeout on a non-ordered submit workqueue, with jobs that
 * take about as long: timeouts fire while jobs complete and while others
 * start. The handler calls each one a false alarm, so every job still
 * completes normally and is freed exactly once.
 */
static void drm_sched_stress_timeout_vs_completion(struct kunit *test)
{
	const struct smp_case *p = test->param_value;
	struct drm_mock_sched_params params = { .timeout = 1 };
	struct drm_mock_sched_job *jobs[2][SMP_JOBS];
	struct drm_mock_sched_entity *entities[2];
	struct drm_mock_scheduler *sched;
	struct rnd_state rnd;
	unsigned int r, e, i;

	prandom_seed_state(&rnd, stress_case_seed(test, p->seed));
	params.submit_wq = alloc_workqueue("drm_sched_stress", WQ_UNBOUND, 0);
	KUNIT_ASSERT_NOT_NULL(test, params.submit_wq);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, stress_destroy_wq,
							params.submit_wq), 0);
	sched = drm_mock_sched_new_params(test, &params);
	drm_mock_sched_set_timedout(sched, DRM_GPU_SCHED_STAT_NO_HANG, false, NULL, NULL);
	for (e = 0; e < 2; e++)
		entities[e] = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);

	for (r = 0; r < p->rounds; r++) {
		struct submitter *subs[2];
		wait_queue_head_t gate_wq;
		bool go = false;

		init_waitqueue_head(&gate_wq);
		for (e = 0; e < 2; e++) {
			for (i = 0; i < SMP_JOBS; i++) {
				jobs[e][i] = drm_mock_sched_job_new(test, entities[e]);
				jobs[e][i]->duration_us = 1000 + prandom_u32_state(&rnd) % 15000;
			}
			subs[e] = submitter_start(test, jobs[e], SMP_JOBS, &gate_wq, &go, e);
		}
		WRITE_ONCE(go, true);
		wake_up_all(&gate_wq);

		for (e = 0; e < 2; e++) {
			KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&subs[e]->done,
									  DRM_MOCK_WAIT), 0);
			for (i = 0; i < SMP_JOBS; i++) {
				KUNIT_EXPECT_EQ(test, stress_outcome(test, jobs[e][i], r, i, e), 0);
				KUNIT_EXPECT_EQ(test, atomic_read(&jobs[e][i]->run_count), 1);
			}
		}
	}
	kunit_info(test, "%d timeouts over %u rounds\n",
		   atomic_read(&sched->timedout_count), p->rounds);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->double_free), 0);
}

static struct kunit_case drm_sched_stress_cases[] = {
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_dag, dag_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_concurrent_submit, conc_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(drm_sched_stress_entity_churn),
	KUNIT_CASE_SLOW(drm_sched_stress_manual_chunks),
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_kill_vs_completion, kill_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_fini_vs_completion, fini_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_timeout_vs_completion, timeout_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite drm_sched_stress_suite = {
	.name = "drm_sched_stress",
	.test_cases = drm_sched_stress_cases,
};

/*
 * The same invariants with every scheduler on the fair policy, whose pick
 * looks at all run queues and whose completions charge entities that may
 * be gone: the graph, concurrent submitters, entities coming and going,
 * and drm_sched_fini() racing completions.
 */
static int drm_sched_stress_fair_init(struct kunit_suite *suite)
{
	drm_sched_stress_saved_policy = drm_sched_policy;
	drm_sched_policy = DRM_SCHED_POLICY_FAIR;
	return 0;
}

static void drm_sched_stress_fair_exit(struct kunit_suite *suite)
{
	drm_sched_policy = drm_sched_stress_saved_policy;
}

static struct kunit_case drm_sched_stress_fair_cases[] = {
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_dag, dag_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_concurrent_submit, conc_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(drm_sched_stress_entity_churn),
	KUNIT_CASE_PARAM_ATTR(drm_sched_stress_fini_vs_completion, fini_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite drm_sched_stress_fair_suite = {
	.name = "drm_sched_stress_fair",
	.suite_init = drm_sched_stress_fair_init,
	.suite_exit = drm_sched_stress_fair_exit,
	.test_cases = drm_sched_stress_fair_cases,
};

kunit_test_suites(&drm_sched_stress_suite, &drm_sched_stress_fair_suite);
