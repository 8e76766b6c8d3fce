// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The scheduler's trace events as tools see them: each suite case records
 * into a private trace instance, then reads the instance's tracefs files
 * back (the event formats and the formatted records) through a kernel
 * mount of tracefs, exactly the text trace-cmd, Perfetto or gpuvis parse.
 * Built only with CONFIG_EVENT_TRACING.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/trace.h>
#include <linux/trace_events.h>
#include <linux/uio.h>

#include "sched_tests.h"

#define TRACE_INSTANCE	"drm_sched_kunit"
#define TRACE_RING	"trace-ring"
/* Enough for the formats and for the records of one small DAG. */
#define TRACE_READ_MAX	(64 * 1024)

struct trace_world {
	struct trace_array *tr;
	struct vfsmount *mnt;
};

/* Reads a tracefs file of the instance into a NUL-terminated buffer. */
static char *trace_read(struct kunit *test, const char *name)
{
	struct trace_world *w = test->priv;
	char path[160];
	struct file *file;
	size_t len = 0;
	loff_t pos = 0;
	char *buf;

	snprintf(path, sizeof(path), "instances/" TRACE_INSTANCE "/%s", name);
	buf = kunit_kzalloc(test, TRACE_READ_MAX + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	file = file_open_root_mnt(w->mnt, path, O_RDONLY, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "cannot open %s: %ld", path,
			       PTR_ERR(file));
	/*
	 * These tracefs files are seq_files with only a ->read, which
	 * kernel_read() refuses; their iterator reads into kernel memory.
	 */
	if (file->f_op->read != seq_read) {
		fput(file);
		KUNIT_FAIL_AND_ABORT(test, "%s is not a seq_file", path);
	}
	while (len < TRACE_READ_MAX) {
		struct kvec kv = { .iov_base = buf + len, .iov_len = TRACE_READ_MAX - len };
		struct iov_iter iter;
		struct kiocb kiocb;
		ssize_t n;

		init_sync_kiocb(&kiocb, file);
		kiocb.ki_pos = pos;
		iov_iter_kvec(&iter, ITER_DEST, &kv, 1, kv.iov_len);
		n = seq_read_iter(&kiocb, &iter);
		if (n <= 0)
			break;
		pos = kiocb.ki_pos;
		len += n;
	}
	fput(file);
	/* The instance cannot be removed while a file of it is open. */
	flush_delayed_fput();
	KUNIT_EXPECT_LT_MSG(test, len, TRACE_READ_MAX, "%s was cut short", path);
	return buf;
}

static int drm_sched_trace_init(struct kunit *test)
{
	struct file_system_type *tracefs;
	struct trace_world *w;
	int ret;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	test->priv = w;

	/* Built in, never a module: no filesystem reference to drop later. */
	tracefs = get_fs_type("tracefs");
	KUNIT_ASSERT_NOT_NULL(test, tracefs);
	w->mnt = kern_mount(tracefs);
	KUNIT_ASSERT_FALSE(test, IS_ERR(w->mnt));

	w->tr = trace_array_get_by_name(TRACE_INSTANCE, "gpu_scheduler");
	if (!w->tr) {
		kern_unmount(w->mnt);
		KUNIT_FAIL_AND_ABORT(test, "cannot create the trace instance");
	}
	ret = trace_array_set_clr_event(w->tr, "gpu_scheduler", NULL, true);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return 0;
}

static void drm_sched_trace_exit(struct kunit *test)
{
	struct trace_world *w = test->priv;

	if (!w || !w->tr)
		return;
	trace_array_set_clr_event(w->tr, "gpu_scheduler", NULL, false);
	trace_array_put(w->tr);
	KUNIT_EXPECT_EQ(test, trace_array_destroy(w->tr), 0);
	kern_unmount(w->mnt);
}

/* Formats ---------------------------------------------------------------- */

struct trace_format_case {
	const char *event;
	const char *print_fmt;
	const char *fields[8];
};

#define JOB_FIELDS {							\
	"__data_loc char[] name;", "u32 job_count;", "int hw_job_count;",	\
	"__data_loc char[] dev;", "u64 fence_context;", "u64 fence_seqno;",	\
	"u64 client_id;" }
#define DEP_FIELDS {							\
	"u64 fence_context;", "u64 fence_seqno;", "u64 ctx;", "u64 seqno;" }

/* Mainline's event formats since Linux 6.17, which tools parse. */
static const struct trace_format_case trace_format_cases[] = {
	{ "drm_sched_job_queue",
	  "dev=%s, fence=%llu:%llu, ring=%s, job count:%u, hw job count:%d, client_id:%llu",
	  JOB_FIELDS },
	{ "drm_sched_job_run",
	  "dev=%s, fence=%llu:%llu, ring=%s, job count:%u, hw job count:%d, client_id:%llu",
	  JOB_FIELDS },
	{ "drm_sched_job_done", "fence=%llu:%llu signaled",
	  { "u64 fence_context;", "u64 fence_seqno;" } },
	{ "drm_sched_job_add_dep", "fence=%llu:%llu depends on fence=%llu:%llu",
	  DEP_FIELDS },
	{ "drm_sched_job_unschedulable",
	  "fence=%llu:%llu depends on unsignalled fence=%llu:%llu", DEP_FIELDS },
};

KUNIT_ARRAY_PARAM(trace_format, trace_format_cases, NULL);

/*
 * Each event has mainline's name, every field mainline has with its type,
 * and mainline's print format.
 */
static void drm_sched_trace_format_matches_mainline(struct kunit *test)
{
	const struct trace_format_case *p = test->param_value;
	char path[96], expect[160];
	unsigned int i;
	char *fmt, *line;

	kunit_info(test, "event %s\n", p->event);
	snprintf(path, sizeof(path), "events/gpu_scheduler/%s/format", p->event);
	fmt = trace_read(test, path);

	snprintf(expect, sizeof(expect), "name: %s\n", p->event);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(fmt, expect), "%s", fmt);
	/* The event's own fields, after the common ones: exactly these, in order. */
	for (line = fmt, i = 0; (line = strstr(line, "\tfield:")); line++) {
		line += strlen("\tfield:");
		if (!strncmp(line, "unsigned short common_", 22) ||
		    !strncmp(line, "unsigned char common_", 21) ||
		    !strncmp(line, "int common_", 11))
			continue;
		KUNIT_ASSERT_LT_MSG(test, i, ARRAY_SIZE(p->fields), "%s", fmt);
		KUNIT_EXPECT_NOT_NULL_MSG(test, p->fields[i], "extra field %.40s", line);
		if (!p->fields[i])
			break;
		KUNIT_EXPECT_EQ_MSG(test, strncmp(line, p->fields[i], strlen(p->fields[i])), 0,
				    "field %u: want \"%s\", have \"%.40s\"", i, p->fields[i], line);
		i++;
	}
	KUNIT_EXPECT_TRUE_MSG(test, i == ARRAY_SIZE(p->fields) || !p->fields[i],
			      "field %u (\"%s\") missing", i,
			      i < ARRAY_SIZE(p->fields) ? p->fields[i] : "");
	snprintf(expect, sizeof(expect), "print fmt: \"%s\",", p->print_fmt);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(fmt, expect),
				  "no '%s' in\n%s", expect, fmt);
}

/* Records ---------------------------------------------------------------- */

enum trace_kind { T_QUEUE, T_RUN, T_DONE, T_ADD_DEP, T_UNSCHED, T_KINDS };

static const char * const trace_kind_names[T_KINDS] = {
	[T_QUEUE] = ": drm_sched_job_queue: ",
	[T_RUN] = ": drm_sched_job_run: ",
	[T_DONE] = ": drm_sched_job_done: ",
	[T_ADD_DEP] = ": drm_sched_job_add_dep: ",
	[T_UNSCHED] = ": drm_sched_job_unschedulable: ",
};

struct trace_record {
	enum trace_kind kind;
	u64 context, seqno;	/* the job's finished fence */
	u64 dep_context, dep_seqno;
	u64 client_id;
	unsigned int job_count;
	int hw_job_count;
	bool ring_ok, dev_ok, no_ring;
};

/* Parses one formatted record; false for lines of other events. */
static bool trace_parse(const char *line, struct trace_record *r)
{
	const char *body = NULL, *at;
	enum trace_kind k;

	for (k = 0; k < T_KINDS && !body; k++) {
		body = strstr(line, trace_kind_names[k]);
		r->kind = k;
	}
	if (!body)
		return false;
	body += strlen(trace_kind_names[r->kind]);

	at = strstr(body, "fence=");
	if (!at || sscanf(at, "fence=%llu:%llu", &r->context, &r->seqno) != 2)
		return false;
	switch (r->kind) {
	case T_QUEUE:
	case T_RUN:
		r->ring_ok = strstr(body, ", ring=" TRACE_RING ",");
		r->no_ring = strstr(body, ", ring=, ");
		r->dev_ok = !strncmp(body, "dev=, fence=", 12);
		at = strstr(body, ", job count:");
		if (!at || sscanf(at, ", job count:%u, hw job count:%d", &r->job_count,
				  &r->hw_job_count) != 2)
			return false;
		at = strstr(body, "client_id:");
		return at && sscanf(at, "client_id:%llu", &r->client_id) == 1;
	case T_ADD_DEP:
	case T_UNSCHED:
		at = strstr(body, "depends on ");
		at = at ? strstr(at, "fence=") : NULL;
		return at && sscanf(at, "fence=%llu:%llu", &r->dep_context,
				    &r->dep_seqno) == 2;
	default:
		return true;
	}
}

/* The records of the instance, oldest first, at most @max. */
static unsigned int trace_records(struct kunit *test, struct trace_record *recs,
				  unsigned int max)
{
	char *text = trace_read(test, "trace"), *line;
	unsigned int n = 0;

	while ((line = strsep(&text, "\n")) && n < max) {
		if (line[0] != '#' && trace_parse(line, &recs[n]))
			n++;
	}
	return n;
}

static bool trace_names(const struct trace_record *r, struct drm_mock_sched_job *job)
{
	return r->context == job->finished->context &&
	       r->seqno == job->finished->seqno;
}

/*
 * A small DAG, recorded: a1 on entity A; b1 on entity B depends on a1 and
 * on an unsignalled external fence; a2 on A depends on a1, its own
 * entity's fence, which is never stored. Every job is queued, run and done
 * once; b1 alone has add_dep records (one per stored dependency) and waits
 * on the external fence only.
 */
static void drm_sched_trace_dag_records(struct kunit *test)
{
	struct drm_mock_sched_params params = { .name = TRACE_RING };
	struct drm_mock_sched_job *a1, *b1, *a2, *jobs[3];
	unsigned int queued[3] = {}, ran[3] = {}, done[3] = {};
	/* a1 runs first, a2 next (its only dependency is dropped), b1 last. */
	static const int run_credits[3] = { 1, 3, 2 };
	struct drm_mock_sched_entity *ea, *eb;
	unsigned int n, i, j, add_deps = 0, waits = 0;
	struct drm_mock_scheduler *sched;
	struct drm_mock_timeline *tl;
	struct trace_record *recs;
	struct dma_fence *ext;

	sched = drm_mock_sched_new_params(test, &params);
	ea = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	eb = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	tl = drm_mock_timeline_new(test);
	ext = drm_mock_timeline_fence(tl, 1);

	a1 = drm_mock_sched_job_alloc(test);
	KUNIT_ASSERT_EQ(test, drm_sched_job_init(&a1->base, &ea->base, 1, NULL, 42), 0);
	a1->owner = sched;
	a1->inited = true;
	drm_mock_sched_job_submit(a1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_scheduled(a1, DRM_MOCK_WAIT));

	b1 = drm_mock_sched_job_new(test, eb);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&b1->base,
							   dma_fence_get(a1->finished)), 0);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&b1->base,
							   dma_fence_get(ext)), 0);
	drm_mock_sched_job_submit(b1);

	a2 = drm_mock_sched_job_new(test, ea);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&a2->base,
							   dma_fence_get(a1->finished)), 0);
	drm_mock_sched_job_submit(a2);

	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, 2, DRM_MOCK_WAIT));
	drm_mock_fence_signal(ext, 0);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, 3, DRM_MOCK_WAIT));
	KUNIT_ASSERT_EQ(test, drm_mock_sched_advance(sched, 3), 3);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(sched, 3, DRM_MOCK_WAIT));

	recs = kunit_kcalloc(test, 64, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	n = trace_records(test, recs, 64);

	jobs[0] = a1;
	jobs[1] = b1;
	jobs[2] = a2;
	for (i = 0; i < n; i++) {
		const struct trace_record *r = &recs[i];

		for (j = 0; j < ARRAY_SIZE(jobs) && !trace_names(r, jobs[j]); j++)
			;
		if (j == ARRAY_SIZE(jobs))
			continue;

		switch (r->kind) {
		/*
		 * Only counts: records of different CPUs are merged by a
		 * per-CPU clock, which need not order them causally.
		 */
		case T_QUEUE:
			queued[j]++;
			KUNIT_EXPECT_TRUE(test, r->ring_ok);
			KUNIT_EXPECT_TRUE(test, r->dev_ok);
			KUNIT_EXPECT_EQ(test, r->client_id, j == 0 ? 42 : 0);
			/* Each job found its entity's queue empty. */
			KUNIT_EXPECT_EQ(test, r->job_count, 0);
			break;
		case T_RUN:
			ran[j]++;
			KUNIT_EXPECT_TRUE(test, r->ring_ok);
			KUNIT_EXPECT_TRUE(test, r->dev_ok);
			/* One credit each, counted with the job's own: a1, a2, b1. */
			KUNIT_EXPECT_EQ_MSG(test, r->hw_job_count, run_credits[j],
					    "job %u", j);
			break;
		case T_DONE:
			done[j]++;
			break;
		case T_ADD_DEP:
			KUNIT_EXPECT_EQ(test, j, 1);
			KUNIT_EXPECT_TRUE(test,
					  (r->dep_context == a1->finished->context &&
					   r->dep_seqno == a1->finished->seqno) ||
					  (r->dep_context == ext->context &&
					   r->dep_seqno == ext->seqno));
			add_deps++;
			break;
		case T_UNSCHED:
			KUNIT_EXPECT_EQ(test, j, 1);
			KUNIT_EXPECT_EQ(test, r->dep_context, ext->context);
			KUNIT_EXPECT_EQ(test, r->dep_seqno, ext->seqno);
			waits++;
			break;
		default:
			break;
		}
	}

	for (j = 0; j < ARRAY_SIZE(jobs); j++) {
		KUNIT_EXPECT_EQ_MSG(test, queued[j], 1, "job %u", j);
		KUNIT_EXPECT_EQ_MSG(test, ran[j], 1, "job %u", j);
		KUNIT_EXPECT_EQ_MSG(test, done[j], 1, "job %u", j);
	}
	KUNIT_EXPECT_EQ(test, add_deps, 2);
	KUNIT_EXPECT_EQ(test, waits, 1);
}

/*
 * A fence returned by prepare_job that has not signalled is recorded as
 * unschedulable, and the job then runs once and is done once.
 */
static void drm_sched_trace_prepare_fence_unschedulable(struct kunit *test)
{
	struct drm_mock_sched_params params = {
		.name = TRACE_RING, .prepare_job = true,
	};
	unsigned int n, i, waits = 0, ran = 0, done = 0;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_job *job;
	struct drm_mock_timeline *tl;
	struct trace_record *recs;
	struct dma_fence *extra;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	tl = drm_mock_timeline_new(test);
	extra = drm_mock_timeline_fence(tl, 5);

	job = drm_mock_sched_job_new(test, entity);
	job->prepare_fence = dma_fence_get(extra);
	drm_mock_sched_job_submit(job);
	/* The entity waits on the fence once the record is written. */
	for (i = 0; i < 5000 && READ_ONCE(entity->base.dependency) != extra; i++)
		usleep_range(500, 1000);
	KUNIT_ASSERT_PTR_EQ(test, READ_ONCE(entity->base.dependency), extra);
	drm_mock_fence_signal(extra, 0);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_runs(sched, 1, DRM_MOCK_WAIT));
	drm_mock_sched_advance(sched, 1);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_wait_frees(sched, 1, DRM_MOCK_WAIT));

	recs = kunit_kcalloc(test, 16, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	n = trace_records(test, recs, 16);
	for (i = 0; i < n; i++) {
		if (!trace_names(&recs[i], job))
			continue;
		if (recs[i].kind == T_UNSCHED) {
			KUNIT_EXPECT_EQ(test, recs[i].dep_context, extra->context);
			KUNIT_EXPECT_EQ(test, recs[i].dep_seqno, 5);
			waits++;
		}
		ran += recs[i].kind == T_RUN;
		done += recs[i].kind == T_DONE;
	}
	KUNIT_EXPECT_EQ(test, waits, 1);
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_EQ(test, done, 1);
}

/*
 * A job armed after its entity was killed has no scheduler; pushing it
 * still writes a queue record, with an empty ring and dev, and nothing
 * else: it never runs.
 */
static void drm_sched_trace_queue_without_scheduler(struct kunit *test)
{
	struct drm_mock_sched_params params = { .name = TRACE_RING };
	unsigned int n, i, queued = 0, others = 0;
	struct drm_mock_sched_entity *entity;
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_job *job;
	struct trace_record *recs;

	sched = drm_mock_sched_new_params(test, &params);
	entity = drm_mock_sched_entity_new(test, DRM_SCHED_PRIORITY_NORMAL, sched);
	job = drm_mock_sched_job_new(test, entity);
	drm_sched_entity_kill(&entity->base);
	drm_mock_sched_job_submit(job);
	KUNIT_ASSERT_TRUE(test, drm_mock_sched_job_wait_freed(job, DRM_MOCK_WAIT));
	KUNIT_EXPECT_EQ(test, drm_mock_sched_job_error(job), -ESRCH);
	KUNIT_EXPECT_NULL(test, job->base.sched);

	recs = kunit_kcalloc(test, 16, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	n = trace_records(test, recs, 16);
	for (i = 0; i < n; i++) {
		if (!trace_names(&recs[i], job))
			continue;
		if (recs[i].kind == T_QUEUE) {
			KUNIT_EXPECT_TRUE(test, recs[i].no_ring);
			KUNIT_EXPECT_TRUE(test, recs[i].dev_ok);
			KUNIT_EXPECT_EQ(test, recs[i].hw_job_count, 0);
			queued++;
		} else {
			others++;
		}
	}
	KUNIT_EXPECT_EQ(test, queued, 1);
	KUNIT_EXPECT_EQ(test, others, 0);
}

static struct kunit_case drm_sched_trace_cases[] = {
	KUNIT_CASE_PARAM(drm_sched_trace_format_matches_mainline, trace_format_gen_params),
	KUNIT_CASE(drm_sched_trace_dag_records),
	KUNIT_CASE(drm_sched_trace_prepare_fence_unschedulable),
	KUNIT_CASE(drm_sched_trace_queue_without_scheduler),
	{}
};

static struct kunit_suite drm_sched_trace_suite = {
	.name = "drm_sched_trace",
	.init = drm_sched_trace_init,
	.exit = drm_sched_trace_exit,
	.test_cases = drm_sched_trace_cases,
};

kunit_test_suite(drm_sched_trace_suite);
