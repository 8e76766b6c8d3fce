// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Fence timelines: which fences a host completion signals, across the
 * global timeline and the rings of several 3D contexts, and what happens
 * to answers whose echo the driver does not follow (rewritten, foreign,
 * future ids) or
 * reinterpret (ids cut to 32 bits by the host).
 *
 * The fake host parks the fenced responses of held timelines; a test
 * completes them one timeline at a time and checks the whole set of
 * fences after each step.
 */

#include <kunit/test.h>
#include <linux/prandom.h>

#include "vgpu_test.h"

/* The contexts of the multi-context example. */
#define VIRGL_CTX	1
#define GFX_CTX		2

#define GPU_RING	VGPU_FAKE_RING(VIRGL_CTX, 0)
#define META_RING	VGPU_FAKE_RING(VIRGL_CTX, 1)
#define GFX_RING	VGPU_FAKE_RING(GFX_CTX, 0)

/*
 * A virgl context with a GPU ring (0) and a metadata query ring (1), and a
 * gfxstream context with one ring. Fence i (1..5) has id i:
 *
 *   id               1 2 3 4 5
 *   virgl gpu        1   3
 *   virgl metadata           5
 *   gfxstream gpu      2   4
 */
struct seed_env {
	struct vgt *t;
	struct virtio_gpu_fence *f[6];
};

static const u32 seed_ctx[6] = { 0, VIRGL_CTX, GFX_CTX, VIRGL_CTX, GFX_CTX, VIRGL_CTX };
static const u32 seed_ring[6] = { 0, 0, 0, 0, 0, 1 };

static void seed_setup(struct kunit *test, struct seed_env *s)
{
	unsigned int i;

	s->t = vgt_create_3d(test);
	vgt_context(s->t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 2);
	vgt_context(s->t, GFX_CTX, VGT_CAPSET_GFXSTREAM, 1);
	vgpu_fake_host_hold(s->t->host, GPU_RING);
	vgpu_fake_host_hold(s->t->host, META_RING);
	vgpu_fake_host_hold(s->t->host, GFX_RING);

	for (i = 1; i <= 5; i++)
		s->f[i] = vgt_fence(s->t, seed_ctx[i], seed_ring[i]);
	for (i = 1; i <= 5; i++)
		KUNIT_ASSERT_EQ(test, vgt_submit(s->t, seed_ctx[i], s->f[i]), (u64)i);
	KUNIT_ASSERT_TRUE(test, vgt_settle(s->t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_parked(s->t->host, GPU_RING), 2);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_parked(s->t->host, META_RING), 1);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_parked(s->t->host, GFX_RING), 2);
}

/* Bit i set when fence i signalled. */
static u32 seed_mask(struct seed_env *s)
{
	u32 mask = 0;
	unsigned int i;

	for (i = 1; i <= 5; i++)
		if (vgt_signalled(s->f[i]))
			mask |= BIT(i);
	return mask;
}

/*
 * The example's fences get ids 1..5 in submission order from the one
 * device-wide counter; fences of one ring share a dma-fence context, ring 1
 * of a context follows ring 0, and the host sees each fence on its ring.
 * Nothing signals before the host answers.
 */
static void fence_seed_ids_and_contexts(struct kunit *test)
{
	struct seed_env s;
	struct virtio_gpu_fence *global;

	seed_setup(test, &s);
	global = vgt_fence(s.t, 0, 0);

	KUNIT_EXPECT_EQ(test, seed_mask(&s), 0);
	KUNIT_EXPECT_EQ(test, s.f[1]->base.context, s.f[3]->base.context);
	KUNIT_EXPECT_EQ(test, s.f[5]->base.context, s.f[1]->base.context + 1);
	KUNIT_EXPECT_EQ(test, s.f[2]->base.context, s.f[4]->base.context);
	KUNIT_EXPECT_NE(test, s.f[2]->base.context, s.f[1]->base.context);
	KUNIT_EXPECT_NE(test, s.f[2]->base.context, s.f[5]->base.context);
	KUNIT_EXPECT_NE(test, global->base.context, s.f[1]->base.context);
	KUNIT_EXPECT_NE(test, global->base.context, s.f[2]->base.context);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_later(&s.f[3]->base, &s.f[1]->base));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_later(&s.f[4]->base, &s.f[2]->base));

	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_fence(s.t->host, GPU_RING), 3);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_fence(s.t->host, META_RING), 5);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_fence(s.t->host, GFX_RING), 4);
	KUNIT_EXPECT_EQ(test, s.t->vgdev->fence_drv.last_id, 5);
}

/*
 * The metadata query (id 5) completes first: only fence 5 signals, without
 * waiting for the earlier ids 1 and 3 of the same context's GPU ring.
 */
static void fence_seed_metadata_first(struct kunit *test)
{
	struct seed_env s;

	seed_setup(test, &s);
	KUNIT_EXPECT_EQ(test, vgt_complete(s.t, META_RING, 5), 1);
	KUNIT_EXPECT_EQ(test, seed_mask(&s), BIT(5));
	KUNIT_EXPECT_EQ(test, s.f[5]->base.error, 0);
}

/*
 * The GPU ring completes up to 3: fences 1 and 3 signal; the gfxstream
 * fences (2, 4) and the metadata fence (5) do not.
 */
static void fence_seed_gpu_ring(struct kunit *test)
{
	struct seed_env s;

	seed_setup(test, &s);
	KUNIT_EXPECT_EQ(test, vgt_complete(s.t, GPU_RING, 3), 2);
	KUNIT_EXPECT_EQ(test, seed_mask(&s), BIT(1) | BIT(3));
}

/*
 * The host rewrites the answer to fence 1 to say id 3. The answer is
 * fence 1's all the same: fence 1 signals, fence 3, which the host has not
 * answered, does not, and the rewritten id is counted as a mismatch. The
 * real answer to 3 then signals 3.
 */
static void fence_seed_rewritten_id_not_followed(struct kunit *test)
{
	struct seed_env s;

	seed_setup(test, &s);
	vgpu_fake_host_misbehave(s.t->host, VGPU_FAKE_REWRITE_FENCE, 3);
	KUNIT_EXPECT_EQ(test, vgt_complete(s.t, GPU_RING, 1), 1);
	KUNIT_EXPECT_EQ(test, seed_mask(&s), BIT(1));
	KUNIT_EXPECT_EQ(test, vgt_stat(s.t, mismatch), 1);

	KUNIT_EXPECT_EQ(test, vgt_complete(s.t, GPU_RING, 3), 1);
	KUNIT_EXPECT_EQ(test, seed_mask(&s), BIT(1) | BIT(3));
	KUNIT_EXPECT_EQ(test, vgt_stat(s.t, mismatch), 1);
	KUNIT_EXPECT_EQ(test, vgt_stat(s.t, stale), 0);
}

/*
 * The answer to fence 2 is lost (too short to read); completing 4 on the
 * gfxstream ring signals 2 and 4 and touches nothing on the virgl rings.
 */
static void fence_seed_gfxstream_covers(struct kunit *test)
{
	struct seed_env s;

	seed_setup(test, &s);
	vgpu_fake_host_misbehave(s.t->host, VGPU_FAKE_SHORT_RESPONSE, 0);
	KUNIT_EXPECT_EQ(test, vgt_complete(s.t, GFX_RING, 2), 1);
	KUNIT_EXPECT_EQ(test, seed_mask(&s), 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(s.t, malformed), 1);

	KUNIT_EXPECT_EQ(test, vgt_complete(s.t, GFX_RING, 4), 1);
	KUNIT_EXPECT_EQ(test, seed_mask(&s), BIT(2) | BIT(4));
	KUNIT_EXPECT_EQ(test, s.f[2]->base.error, 0);
	KUNIT_EXPECT_EQ(test, s.f[4]->base.error, 0);
}

struct seed_order {
	const char *name;
	u8 ring[3];	/* 0: gpu, 1: metadata, 2: gfxstream */
};

static const struct seed_order seed_orders[] = {
	{ "gpu-meta-gfx", { 0, 1, 2 } },
	{ "gpu-gfx-meta", { 0, 2, 1 } },
	{ "meta-gpu-gfx", { 1, 0, 2 } },
	{ "meta-gfx-gpu", { 1, 2, 0 } },
	{ "gfx-gpu-meta", { 2, 0, 1 } },
	{ "gfx-meta-gpu", { 2, 1, 0 } },
};

static void seed_order_desc(const struct seed_order *o, char *desc)
{
	strscpy(desc, o->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seed_order, seed_orders, seed_order_desc);

/*
 * The three rings of the example complete in every order; after each step
 * exactly the fences of the rings completed so far have signalled.
 */
static void fence_seed_any_order(struct kunit *test)
{
	static const u32 ring_mask[3] = {
		BIT(1) | BIT(3), BIT(5), BIT(2) | BIT(4),
	};
	const struct vgpu_fake_tl tls[3] = { GPU_RING, META_RING, GFX_RING };
	static const u64 last[3] = { 3, 5, 4 };
	const struct seed_order *o = test->param_value;
	struct seed_env s;
	u32 expect = 0;
	unsigned int i;

	seed_setup(test, &s);
	for (i = 0; i < 3; i++) {
		u8 r = o->ring[i];

		vgt_complete(s.t, tls[r], last[r]);
		expect |= ring_mask[r];
		KUNIT_EXPECT_EQ_MSG(test, seed_mask(&s), expect, "after step %u", i);
	}
	for (i = 1; i <= 5; i++)
		KUNIT_EXPECT_EQ(test, s.f[i]->base.error, 0);
}

/* Randomized completions over six timelines. */
#define RND_TLS		6
#define RND_FENCES	48

struct rnd_fence {
	struct virtio_gpu_fence *f;
	struct vgt_sig *sig;
	unsigned int tl;
	u64 id;
};

static const u64 rnd_seeds[] = {
	1, 2, 3, 42, 1234, 0xdeadbeef, 0x5eed5eed, 0x0123456789abcdefull,
};

static void rnd_seed_desc(const u64 *seed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed-%llx", *seed);
}

KUNIT_ARRAY_PARAM(rnd_seed, rnd_seeds, rnd_seed_desc);

static struct vgpu_fake_tl rnd_tl(unsigned int i)
{
	/* Timeline 0 is global, then ctx 1 rings 0..2 and ctx 2 rings 0..1. */
	if (!i)
		return VGPU_FAKE_GLOBAL;
	return i <= 3 ? VGPU_FAKE_RING(VIRGL_CTX, i - 1) : VGPU_FAKE_RING(GFX_CTX, i - 4);
}

static u32 rnd_ctx(unsigned int i)
{
	return i <= 3 ? VIRGL_CTX : GFX_CTX;
}

static u32 rnd_ring(unsigned int i)
{
	return i ? rnd_tl(i).ring_idx : 0;
}

/*
 * Fences on six timelines (global, three rings of one context, two of
 * another) are submitted and completed in a random order drawn from a fixed
 * seed: batches of submissions alternate with completions of a random
 * timeline up to a random one of its outstanding fences. After every
 * completion each fence is signalled exactly when the host completed its
 * timeline up to its id: nothing signals early, nothing on another timeline
 * changes. At the end, every timeline's fences signalled in id order.
 */
static void fence_random_order(struct kunit *test)
{
	const u64 *seed = test->param_value;
	u64 done_to[RND_TLS] = { 0 };
	struct rnd_fence *fences;
	struct rnd_state rnd;
	unsigned int submitted = 0, steps = 0, i, j;
	atomic_t *order;
	struct vgt *t;

	kunit_info(test, "prandom seed 0x%llx\n", *seed);
	prandom_seed_state(&rnd, *seed);

	t = vgt_create_3d(test);
	vgt_context(t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 3);
	vgt_context(t, GFX_CTX, VGT_CAPSET_GFXSTREAM, 2);
	for (i = 0; i < RND_TLS; i++)
		vgpu_fake_host_hold(t->host, rnd_tl(i));

	fences = kunit_kcalloc(test, RND_FENCES, sizeof(*fences), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fences);
	order = kunit_kzalloc(test, sizeof(*order), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, order);

	for (;;) {
		unsigned int open[RND_TLS], nopen = 0, wrong = 0, tl, n, expect_n = 0;
		u64 target, cand[RND_FENCES];
		unsigned int ncand = 0;

		for (i = 0; i < RND_TLS; i++) {
			for (j = 0; j < submitted; j++)
				if (fences[j].tl == i && fences[j].id > done_to[i])
					break;
			if (j < submitted)
				open[nopen++] = i;
		}
		if (submitted == RND_FENCES && !nopen)
			break;

		if (submitted < RND_FENCES &&
		    (!nopen || prandom_u32_state(&rnd) % 2)) {
			n = 1 + prandom_u32_state(&rnd) % 4;
			for (; n && submitted < RND_FENCES; n--, submitted++) {
				struct rnd_fence *rf = &fences[submitted];

				rf->tl = prandom_u32_state(&rnd) % RND_TLS;
				rf->f = vgt_fence(t, rf->tl ? rnd_ctx(rf->tl) : 0,
						  rnd_ring(rf->tl));
				rf->sig = kunit_kzalloc(test, sizeof(*rf->sig), GFP_KERNEL);
				KUNIT_ASSERT_NOT_NULL(test, rf->sig);
				vgt_watch(test, rf->f, rf->sig, order);
				rf->id = vgt_submit(t, rnd_ctx(rf->tl), rf->f);
			}
			KUNIT_ASSERT_TRUE(test, vgt_settle(t));
			continue;
		}

		/* Complete a random open timeline up to one of its fences. */
		tl = open[prandom_u32_state(&rnd) % nopen];
		for (j = 0; j < submitted; j++)
			if (fences[j].tl == tl && fences[j].id > done_to[tl])
				cand[ncand++] = fences[j].id;
		target = cand[prandom_u32_state(&rnd) % ncand];
		for (j = 0; j < ncand; j++)
			expect_n += cand[j] <= target;

		n = vgt_complete(t, rnd_tl(tl), target);
		done_to[tl] = target;
		steps++;
		KUNIT_EXPECT_EQ_MSG(test, n, expect_n, "step %u: timeline %u to %llu",
				    steps, tl, target);

		for (j = 0; j < submitted; j++) {
			struct rnd_fence *rf = &fences[j];
			bool expect = rf->id <= done_to[rf->tl];

			if (vgt_signalled(rf->f) != expect) {
				if (!wrong)
					KUNIT_FAIL(test,
						   "step %u (timeline %u to %llu): fence %llu of timeline %u %s",
						   steps, tl, target, rf->id, rf->tl,
						   expect ? "did not signal" : "signalled early");
				wrong++;
			}
		}
		KUNIT_ASSERT_EQ_MSG(test, wrong, 0, "step %u: %u fences wrong", steps, wrong);
	}

	for (j = 0; j < RND_FENCES; j++) {
		struct rnd_fence *a = &fences[j];

		KUNIT_EXPECT_EQ(test, a->sig->calls, 1);
		KUNIT_EXPECT_EQ(test, a->sig->error, 0);
		for (i = j + 1; i < RND_FENCES; i++) {
			struct rnd_fence *b = &fences[i];

			if (a->tl == b->tl)
				KUNIT_EXPECT_LT_MSG(test, a->sig->rank, b->sig->rank,
						    "ids %llu and %llu of timeline %u",
						    a->id, b->id, a->tl);
		}
	}
	KUNIT_EXPECT_EQ(test, vgt_stat(t, stale), 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), 0);
	kunit_info(test, "%u completion steps\n", steps);
}

/*
 * A duplicate answer: the host answers fence 2 with the id of fence 1,
 * which already signalled. It is still fence 2's answer: fence 2 signals,
 * and the wrong id is counted as a mismatch.
 */
static void fence_duplicate_id(struct kunit *test)
{
	struct virtio_gpu_fence *f1, *f2;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, 0, 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	f1 = vgt_fence(t, 0, 0);
	f2 = vgt_fence(t, 0, 0);
	vgt_submit(t, VIRGL_CTX, f1);
	vgt_submit(t, VIRGL_CTX, f2);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, f1->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f1));

	vgpu_fake_host_misbehave(t->host, VGPU_FAKE_REWRITE_FENCE, f1->base.seqno);
	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, f2->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f2));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 1);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, stale), 0);
	KUNIT_EXPECT_EQ(test, f1->base.error, 0);
	KUNIT_EXPECT_EQ(test, f2->base.error, 0);
}

/*
 * A foreign id: the answer to ring fence 3 carries id 2, which belongs to
 * a fence on the global timeline. Fence 3 signals (the answer is its
 * own), the global fence 2 is not touched, and the id is counted as a
 * mismatch; fence 2 signals with its own answer.
 */
static void fence_foreign_id(struct kunit *test)
{
	struct virtio_gpu_fence *r1, *g2, *r3;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	vgpu_fake_host_hold(t->host, GPU_RING);
	r1 = vgt_fence(t, VIRGL_CTX, 0);
	g2 = vgt_fence(t, 0, 0);
	r3 = vgt_fence(t, VIRGL_CTX, 0);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, r1), 1);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, g2), 2);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, r3), 3);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	KUNIT_EXPECT_EQ(test, vgt_complete(t, GPU_RING, 1), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(r1));

	vgpu_fake_host_misbehave(t->host, VGPU_FAKE_REWRITE_FENCE, 2);
	KUNIT_EXPECT_EQ(test, vgt_complete(t, GPU_RING, 3), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(r3));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(g2));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 1);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, 2), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(g2));
	KUNIT_EXPECT_EQ(test, r3->base.error, 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 1);
}

struct future_case {
	const char *name;
	enum vgpu_fake_misbehaviour what;
	u64 arg;
};

static const struct future_case future_cases[] = {
	{ "next-id", VGPU_FAKE_FUTURE_FENCE, 1 },
	{ "far", VGPU_FAKE_FUTURE_FENCE, 1000 },
	{ "beyond-32-bits", VGPU_FAKE_FUTURE_FENCE, 1ull << 33 },
	{ "zero", VGPU_FAKE_REWRITE_FENCE, 0 },
};

static void future_case_desc(const struct future_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(future_case, future_cases, future_case_desc);

/*
 * An answer with an id the driver never emitted (beyond the last one, or
 * zero) is counted as a mismatch. It is the answer to fence 1 all the
 * same: fence 1 signals, the next fence does not.
 */
static void fence_future_id(struct kunit *test)
{
	const struct future_case *c = test->param_value;
	struct virtio_gpu_fence *f1, *f2;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, 0, 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	f1 = vgt_fence(t, 0, 0);
	f2 = vgt_fence(t, 0, 0);
	vgt_submit(t, VIRGL_CTX, f1);
	vgt_submit(t, VIRGL_CTX, f2);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	vgpu_fake_host_misbehave(t->host, c->what, c->arg);
	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, f1->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f1));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(f2));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 1);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, f2->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f2));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 1);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, stale), 0);
}

static const u64 trunc_starts[] = {
	0, 0xfffffffdull, 0x1fffffffeull, 0x7ffffffffffffff0ull,
};

static void trunc_start_desc(const u64 *start, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "from-%llx", *start);
}

KUNIT_ARRAY_PARAM(trunc_start, trunc_starts, trunc_start_desc);

/*
 * A host that keeps only the low 32 bits of fence ids. With the id counter
 * moved near (or past) a 32-bit boundary, fences alternate between the
 * global timeline and a ring and are completed one at a time, alternating
 * timelines: each answer signals exactly its own fence (the driver rebuilds
 * the full id), and no completion is refused.
 */
static void fence_truncated_ids(struct kunit *test)
{
	const u64 *start = test->param_value;
	struct vgpu_fake_host_config cfg;
	struct virtio_gpu_fence *f[8];
	unsigned int i, j;
	struct vgt *t;

	vgt_config_3d(&cfg);
	cfg.truncate_fence_ids = true;
	t = vgt_create(test, &cfg);
	vgt_context(t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	vgpu_fake_host_hold(t->host, GPU_RING);
	vgt_set_last_id(t, *start);

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		f[i] = vgt_fence(t, i % 2 ? VIRGL_CTX : 0, 0);
		KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, f[i]), *start + i + 1);
	}
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		struct vgpu_fake_tl tl = i % 2 ? GPU_RING : VGPU_FAKE_GLOBAL;

		KUNIT_EXPECT_EQ(test, vgt_complete(t, tl, f[i]->base.seqno), 1);
		for (j = 0; j < ARRAY_SIZE(f); j++)
			KUNIT_EXPECT_EQ_MSG(test, vgt_signalled(f[j]), j <= i,
					    "fence %llu after completing %llu",
					    f[j]->base.seqno, f[i]->base.seqno);
	}
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, stale), 0);
}

/*
 * Ids cross 2^32 on a truncating host: the fence with id 2^32 comes back as
 * 0, which the driver must read as 2^32 (neither "no id" nor an id from the
 * future); the answers to the two fences after it then signal those two.
 */
static void fence_truncated_wrap_boundary(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct virtio_gpu_fence *a, *b, *c;
	struct vgt *t;

	vgt_config_3d(&cfg);
	cfg.truncate_fence_ids = true;
	t = vgt_create(test, &cfg);
	vgt_context(t, VIRGL_CTX, 0, 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	vgt_set_last_id(t, U32_MAX);

	a = vgt_fence(t, 0, 0);
	b = vgt_fence(t, 0, 0);
	c = vgt_fence(t, 0, 0);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, a), 1ull << 32);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, b), (1ull << 32) + 1);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, c), (1ull << 32) + 2);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	/* Reported as 0: not "no id", but 2^32. */
	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, a->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(a));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(b));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 0);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, c->base.seqno), 2);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(b));
	KUNIT_EXPECT_TRUE(test, vgt_signalled(c));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, stale), 0);
}

/*
 * Fence ids are 64-bit seqnos. Id 5, then id 2^31 + 6 (later, though a
 * 32-bit wrapping comparison would call it earlier), then 2^32 + 4 (whose
 * low bits are below 5) on one timeline: dma_fence_is_later() orders them
 * by their full value, and completing 5 leaves both later fences pending.
 */
static void fence_seqno_64bit(struct kunit *test)
{
	struct virtio_gpu_fence *a, *b, *c;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	vgpu_fake_host_hold(t->host, GPU_RING);
	vgt_set_last_id(t, 4);
	a = vgt_fence(t, VIRGL_CTX, 0);
	b = vgt_fence(t, VIRGL_CTX, 0);
	c = vgt_fence(t, VIRGL_CTX, 0);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, a), 5);
	vgt_set_last_id(t, (1ull << 31) + 5);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, b), (1ull << 31) + 6);
	vgt_set_last_id(t, (1ull << 32) + 3);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, c), (1ull << 32) + 4);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	KUNIT_EXPECT_TRUE(test, dma_fence_is_later(&b->base, &a->base));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_later(&a->base, &b->base));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_later(&c->base, &a->base));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_later(&c->base, &b->base));
	KUNIT_EXPECT_PTR_EQ(test, dma_fence_later(&a->base, &c->base), &c->base);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, GPU_RING, 5), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(a));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(b));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(c));

	KUNIT_EXPECT_EQ(test, vgt_complete(t, GPU_RING, b->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(b));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(c));
	KUNIT_EXPECT_EQ(test, vgt_complete(t, GPU_RING, c->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(c));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, stale) + vgt_stat(t, mismatch), 0);
}

/*
 * A fence that was allocated but never emitted has no id and is not on its
 * timeline: completions of later fences on the same ring leave it alone,
 * and unfenced commands answered meanwhile change nothing either.
 */
static void fence_unemitted_untouched(struct kunit *test)
{
	struct virtio_gpu_fence *idle, *used;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	idle = vgt_fence(t, VIRGL_CTX, 0);
	used = vgt_fence(t, VIRGL_CTX, 0);
	vgt_submit(t, VIRGL_CTX, NULL);
	vgt_submit(t, VIRGL_CTX, used);
	vgt_submit(t, VIRGL_CTX, NULL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	KUNIT_EXPECT_TRUE(test, vgt_signalled(used));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(idle));
	KUNIT_EXPECT_FALSE(test, idle->emitted);
	KUNIT_EXPECT_EQ(test, idle->base.seqno, 0);
	KUNIT_EXPECT_EQ(test, vgt_refs(idle), 1);
	KUNIT_EXPECT_EQ(test, vgt_refs(used), 1);
}

/*
 * The dma-fence identity of the driver's fences: driver and timeline names
 * and the ownership test, which refuses a foreign fence.
 */
static void fence_names(struct kunit *test)
{
	struct virtio_gpu_fence *g, *r;
	struct dma_fence *stub;
	struct vgt *t = vgt_create_3d(test);

	vgt_rings(t, 7, 3);
	g = vgt_fence(t, 0, 0);
	r = vgt_fence(t, 7, 2);

	KUNIT_EXPECT_STREQ(test, g->base.ops->get_driver_name(&g->base), "virtio_gpu");
	KUNIT_EXPECT_STREQ(test, g->base.ops->get_timeline_name(&g->base), "global");
	KUNIT_EXPECT_STREQ(test, r->base.ops->get_timeline_name(&r->base), "ctx7-ring2");
	KUNIT_EXPECT_TRUE(test, virtio_gpu_is_fence(&g->base));
	KUNIT_EXPECT_TRUE(test, virtio_gpu_is_fence(&r->base));

	stub = dma_fence_get_stub();
	KUNIT_EXPECT_FALSE(test, virtio_gpu_is_fence(stub));
	dma_fence_put(stub);
}

/*
 * The answer to ring fence 2 comes back as QEMU sends it, without the
 * ring, or as crosvm sends it, with it: either way it signals fence 2 on
 * its ring and leaves the earlier global fence 1 alone.
 */
static void fence_ring_answer_any_echo(struct kunit *test)
{
	struct virtio_gpu_fence *g1, *r2;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	vgpu_fake_host_hold(t->host, GPU_RING);
	g1 = vgt_fence(t, 0, 0);
	r2 = vgt_fence(t, VIRGL_CTX, 0);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, g1), 1);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, r2), 2);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	KUNIT_EXPECT_EQ(test, vgt_complete(t, GPU_RING, 2), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(r2));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(g1));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch) + vgt_stat(t, malformed) +
			vgt_stat(t, stale), 0);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, 1), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(g1));
	KUNIT_EXPECT_EQ(test, r2->base.error, 0);
}

/*
 * The answer to fence 2 on ring 0 names ring 1 of the same context, where
 * fence 1 waits. The echo is counted as a mismatch and not followed:
 * fence 2 signals, fence 1 waits for its own answer.
 */
static void fence_answer_names_other_ring(struct kunit *test)
{
	struct virtio_gpu_fence *m1, *r2;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, VIRTIO_GPU_CAPSET_VIRGL2, 2);
	vgpu_fake_host_hold(t->host, GPU_RING);
	vgpu_fake_host_hold(t->host, META_RING);
	m1 = vgt_fence(t, VIRGL_CTX, 1);
	r2 = vgt_fence(t, VIRGL_CTX, 0);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, m1), 1);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, r2), 2);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	vgpu_fake_host_misbehave(t->host, VGPU_FAKE_OTHER_RING, 1);
	KUNIT_EXPECT_EQ(test, vgt_complete(t, GPU_RING, 2), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(r2));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(m1));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 1);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, META_RING, 1), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(m1));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 1);
}

/*
 * The answer to an unfenced command claims fence 1, which is still held
 * by the host. It is counted as malformed and signals nothing; fence 1
 * signals with its own answer.
 */
static void fence_unfenced_answer_claims_fence(struct kunit *test)
{
	struct virtio_gpu_fence *f1;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, VIRGL_CTX, 0, 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	f1 = vgt_fence(t, 0, 0);
	KUNIT_ASSERT_EQ(test, vgt_submit(t, VIRGL_CTX, f1), 1);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	vgpu_fake_host_misbehave(t->host, VGPU_FAKE_UNFENCED_WITH_FENCE, 1);
	vgt_submit(t, VIRGL_CTX, NULL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(f1));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), 1);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_GLOBAL, 1), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f1));
}

static struct kunit_case fence_cases[] = {
	KUNIT_CASE(fence_seed_ids_and_contexts),
	KUNIT_CASE(fence_seed_metadata_first),
	KUNIT_CASE(fence_seed_gpu_ring),
	KUNIT_CASE(fence_seed_rewritten_id_not_followed),
	KUNIT_CASE(fence_seed_gfxstream_covers),
	KUNIT_CASE_PARAM(fence_seed_any_order, seed_order_gen_params),
	KUNIT_CASE_PARAM(fence_random_order, rnd_seed_gen_params),
	KUNIT_CASE(fence_duplicate_id),
	KUNIT_CASE(fence_foreign_id),
	KUNIT_CASE_PARAM(fence_future_id, future_case_gen_params),
	KUNIT_CASE_PARAM(fence_truncated_ids, trunc_start_gen_params),
	KUNIT_CASE(fence_truncated_wrap_boundary),
	KUNIT_CASE(fence_seqno_64bit),
	KUNIT_CASE(fence_unemitted_untouched),
	KUNIT_CASE(fence_names),
	KUNIT_CASE(fence_ring_answer_any_echo),
	KUNIT_CASE(fence_answer_names_other_ring),
	KUNIT_CASE(fence_unfenced_answer_claims_fence),
	{}
};

VGPU_FAKE_SUITES(fence_suite, "virtio_gpu_fence", fence_cases);
