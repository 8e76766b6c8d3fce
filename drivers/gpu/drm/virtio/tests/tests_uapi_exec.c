// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suites virtio_gpu_uapi_execbuffer, virtio_gpu_uapi_syncobj,
 * virtio_gpu_uapi_implicit and virtio_gpu_uapi_events: submissions through
 * DRM files on the fake device, with the host's ring timelines held and
 * completed by hand, so every ordering is decided by the test.
 */

#include <kunit/test.h>
#include <linux/log2.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm.h>
#include <drm/drm_syncobj.h>

#include "vgpu_uapi.h"

/* The submission of a job on @ring of @f, with an out-fence. */
static int x_ring_job(struct vu *u, struct file *f, u32 ring, struct vu_exec *x)
{
	vu_exec_init(x);
	x->flags |= VIRTGPU_EXECBUF_RING_IDX;
	x->ring_idx = ring;
	return vu_submit(u, f, x);
}

/* The out-fence of a submission. */
static struct dma_fence *x_out(struct vu *u, const struct vu_exec *x)
{
	return vu_fd_fence(u, x->out_fd);
}

static unsigned int x_submits(struct vu *u)
{
	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	return vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D);
}

static struct drm_virtgpu_execbuffer_syncobj x_sobj(u32 handle, u32 flags, u64 point)
{
	return (struct drm_virtgpu_execbuffer_syncobj){
		.handle = handle, .flags = flags, .point = point,
	};
}

/* ---- virtio_gpu_uapi_execbuffer ---- */

/*
 * A submission on the global timeline: the host gets SUBMIT_3D in the
 * file's context with the command stream, and the out-fence signals
 * without error once the host answered.
 */
static void virtio_gpu_execbuffer_global_timeline(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct {
		struct virtio_gpu_cmd_submit c;
		u32 stream[4];
	} s;
	struct vgpu_fake_ctx_info info;
	struct dma_fence *out;
	struct vu_exec x;

	vu_exec_init(&x);
	KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
	out = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &s, sizeof(s)), sizeof(s));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(s.c.hdr.ctx_id), vu_ctx_id(f));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(s.c.size), sizeof(s.stream));
	KUNIT_EXPECT_EQ(test, s.stream[0], 0x5eed0001);
	KUNIT_EXPECT_EQ(test, s.stream[3], 0x5eed0004);
	KUNIT_EXPECT_FALSE(test, le32_to_cpu(s.c.hdr.flags) & VIRTIO_GPU_FLAG_INFO_RING_IDX);
	KUNIT_EXPECT_TRUE(test, le32_to_cpu(s.c.hdr.flags) & VIRTIO_GPU_FLAG_FENCE);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_get_ctx(u->t->host, vu_ctx_id(f), &info));
	KUNIT_EXPECT_EQ(test, info.submits, 1);
}

/**
 * struct x_u32 - a named number
 * @desc: its name
 * @v: the number
 */
struct x_u32 {
	const char *desc;
	u32 v;
};

static const struct x_u32 x_ring_ids[] = {
	{ "ring-0", 0 }, { "ring-1", 1 }, { "ring-17", 17 }, { "ring-63", 63 },
};

KUNIT_ARRAY_PARAM_DESC(x_ring_ids, x_ring_ids, desc);

/*
 * A submission on a ring is tagged with the ring on the wire and waits
 * for that ring's fence: held, the out-fence stays unsignalled; completed,
 * it signals.
 */
static void virtio_gpu_execbuffer_ring_tagged_and_fenced(struct kunit *test)
{
	const struct x_u32 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct virtio_gpu_cmd_submit s;
	struct dma_fence *out;
	struct vu_exec x;

	vu_rings(u, f, 64, 0);
	vu_hold_ring(u, f, p->v);
	KUNIT_ASSERT_EQ(test, x_ring_job(u, f, p->v, &x), 0);
	out = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &s, sizeof(s)), sizeof(s));
	KUNIT_EXPECT_TRUE(test, le32_to_cpu(s.hdr.flags) & VIRTIO_GPU_FLAG_INFO_RING_IDX);
	KUNIT_EXPECT_EQ(test, s.hdr.ring_idx, p->v);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked(u->t->host,
						    VGPU_FAKE_RING(vu_ctx_id(f), p->v)), 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));
	KUNIT_EXPECT_EQ(test, vu_complete_ring(u, f, p->v, vu_ring_last(u, f, p->v)), 1);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
}

/*
 * The invalid submissions of virtio_gpu_execbuffer_bad(). Each setter breaks one field of an
 * otherwise good submission; @good is a signalled syncobj of the file.
 */
typedef void (*x_break_fn)(struct vu *u, struct file *f,
			   struct drm_virtgpu_execbuffer *eb, u32 good);

static void x_unknown_flag(struct vu *u, struct file *f,
			   struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->flags |= 0x100;
}

static void x_ring_2(struct vu *u, struct file *f,
		     struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->flags |= VIRTGPU_EXECBUF_RING_IDX;
	eb->ring_idx = 2;
}

static void x_ring_64(struct vu *u, struct file *f,
		      struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->flags |= VIRTGPU_EXECBUF_RING_IDX;
	eb->ring_idx = 64;
}

static void x_ring_0(struct vu *u, struct file *f,
		     struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->flags |= VIRTGPU_EXECBUF_RING_IDX;
}

/* One syncobj entry at @list, with the stride of the entry. */
static void x_one_syncobj(struct vu *u, struct drm_virtgpu_execbuffer *eb,
			  bool in, u32 handle, u32 flags)
{
	struct drm_virtgpu_execbuffer_syncobj so = x_sobj(handle, flags, 0);
	u64 list = vu_uptr(vu_ucopy(u, &so, sizeof(so)));

	if (in) {
		eb->in_syncobjs = list;
		eb->num_in_syncobjs = 1;
	} else {
		eb->out_syncobjs = list;
		eb->num_out_syncobjs = 1;
	}
	eb->syncobj_stride = sizeof(so);
}

static void x_in_stride_4(struct vu *u, struct file *f,
			  struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, true, good, 0);
	eb->syncobj_stride = 4;
}

static void x_in_stride_0(struct vu *u, struct file *f,
			  struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, true, good, 0);
	eb->syncobj_stride = 0;
}

static void x_out_stride_4(struct vu *u, struct file *f,
			   struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, false, good, 0);
	eb->syncobj_stride = 4;
}

static void x_bo_unknown(struct vu *u, struct file *f,
			 struct drm_virtgpu_execbuffer *eb, u32 good)
{
	static const u32 bo = 0x777;

	eb->bo_handles = vu_uptr(vu_ucopy(u, &bo, sizeof(bo)));
	eb->num_bo_handles = 1;
}

static void x_second_bo_unknown(struct vu *u, struct file *f,
				struct drm_virtgpu_execbuffer *eb, u32 good)
{
	u32 bos[2] = { vu_bo(u, f), 0x778 };

	eb->bo_handles = vu_uptr(vu_ucopy(u, bos, sizeof(bos)));
	eb->num_bo_handles = 2;
}

static void x_command_unmapped(struct vu *u, struct file *f,
			       struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->command = vu_uptr(vu_ubad(u));
	eb->size = 16;
}

static void x_bo_handles_unmapped(struct vu *u, struct file *f,
				  struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->bo_handles = vu_uptr(vu_ubad(u));
	eb->num_bo_handles = 1;
}

static void x_in_syncobjs_unmapped(struct vu *u, struct file *f,
				   struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->syncobj_stride = sizeof(struct drm_virtgpu_execbuffer_syncobj);
	eb->in_syncobjs = vu_uptr(vu_ubad(u));
	eb->num_in_syncobjs = 1;
}

static void x_out_syncobjs_unmapped(struct vu *u, struct file *f,
				    struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->syncobj_stride = sizeof(struct drm_virtgpu_execbuffer_syncobj);
	eb->out_syncobjs = vu_uptr(vu_ubad(u));
	eb->num_out_syncobjs = 1;
}

static void x_in_fd_not_open(struct vu *u, struct file *f,
			     struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->flags |= VIRTGPU_EXECBUF_FENCE_FD_IN;
	eb->fence_fd = 1000;
}

static void x_in_fd_negative(struct vu *u, struct file *f,
			     struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->flags |= VIRTGPU_EXECBUF_FENCE_FD_IN;
	eb->fence_fd = -1;
}

static void x_in_syncobj_unknown(struct vu *u, struct file *f,
				 struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, true, good + 100, 0);
}

static void x_in_syncobj_no_fence(struct vu *u, struct file *f,
				  struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, true, vu_syncobj(u, f, false), 0);
}

static void x_in_syncobj_flags(struct vu *u, struct file *f,
			       struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, true, good, 2);
}

static void x_out_syncobj_unknown(struct vu *u, struct file *f,
				  struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, false, good + 100, 0);
}

static void x_out_syncobj_reset(struct vu *u, struct file *f,
				struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, false, good, VIRTGPU_EXECBUF_SYNCOBJ_RESET);
}

/* The context a bad submission comes from. */
enum x_ctx {
	X_CTX_RINGS,		/* context init with two rings */
	X_CTX_NO_RINGS,		/* context init without rings */
	X_CTX_NO_INIT,		/* no context init */
	X_CTX_2D,		/* a device without 3D */
};

/**
 * struct x_badp - one invalid submission
 * @desc: its name
 * @ctx: the context it comes from
 * @set: what it gets wrong; NULL for a good submission
 * @err: the expected errno
 */
struct x_badp {
	const char *desc;
	enum x_ctx ctx;
	x_break_fn set;
	int err;
};

static const struct x_badp x_bads[] = {
	{ "unknown-flag", X_CTX_RINGS, x_unknown_flag, -EINVAL },
	{ "ring-idx-2-of-2", X_CTX_RINGS, x_ring_2, -EINVAL },
	{ "ring-idx-64", X_CTX_RINGS, x_ring_64, -EINVAL },
	{ "ring-idx-without-context-init", X_CTX_NO_INIT, x_ring_0, -EINVAL },
	{ "ring-idx-context-without-rings", X_CTX_NO_RINGS, x_ring_0, -EINVAL },
	{ "in-syncobj-stride-4", X_CTX_RINGS, x_in_stride_4, -EINVAL },
	{ "in-syncobj-stride-0", X_CTX_RINGS, x_in_stride_0, -EINVAL },
	{ "out-syncobj-stride-4", X_CTX_RINGS, x_out_stride_4, -EINVAL },
	{ "bad-bo-handle", X_CTX_RINGS, x_bo_unknown, -ENOENT },
	{ "second-bo-handle-bad", X_CTX_RINGS, x_second_bo_unknown, -ENOENT },
	{ "bad-command-pointer", X_CTX_RINGS, x_command_unmapped, -EFAULT },
	{ "bad-bo-handles-pointer", X_CTX_RINGS, x_bo_handles_unmapped, -EFAULT },
	{ "bad-in-syncobjs-pointer", X_CTX_RINGS, x_in_syncobjs_unmapped, -EFAULT },
	{ "bad-out-syncobjs-pointer", X_CTX_RINGS, x_out_syncobjs_unmapped, -EFAULT },
	{ "in-fence-fd-not-open", X_CTX_RINGS, x_in_fd_not_open, -EINVAL },
	{ "in-fence-fd-negative", X_CTX_RINGS, x_in_fd_negative, -EINVAL },
	{ "in-syncobj-bad-handle", X_CTX_RINGS, x_in_syncobj_unknown, -ENOENT },
	{ "in-syncobj-without-fence", X_CTX_RINGS, x_in_syncobj_no_fence, -EINVAL },
	{ "in-syncobj-bad-flags", X_CTX_RINGS, x_in_syncobj_flags, -EINVAL },
	{ "out-syncobj-bad-handle", X_CTX_RINGS, x_out_syncobj_unknown, -EINVAL },
	{ "out-syncobj-flags", X_CTX_RINGS, x_out_syncobj_reset, -EINVAL },
	{ "no-3d", X_CTX_2D, NULL, -ENOSYS },
};

KUNIT_ARRAY_PARAM_DESC(x_bads, x_bads, desc);

/*
 * An invalid submission fails with its errno before anything reaches the
 * host: no SUBMIT_3D, no out-fence fd, the out-syncobj untouched.
 */
static void virtio_gpu_execbuffer_bad(struct kunit *test)
{
	const struct x_badp *p = test->param_value;
	struct vu *u = vu_create_features(test, p->ctx == X_CTX_2D ? VU_F_2D : VU_F_ALL);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT, .fence_fd = -1,
	};
	u32 good = 0;

	if (p->ctx == X_CTX_RINGS)
		vu_rings(u, f, 2, 0);
	else if (p->ctx == X_CTX_NO_RINGS)
		KUNIT_ASSERT_EQ(test, vu_context_init(u, f, NULL, 0), 0);
	if (p->ctx != X_CTX_2D)
		good = vu_syncobj(u, f, true);
	if (p->set)
		p->set(u, f, &eb, good);

	KUNIT_EXPECT_EQ(test, vu_execbuffer(u, f, &eb), p->err);
	KUNIT_EXPECT_EQ(test, x_submits(u), 0);
	if (good) {
		struct dma_fence *still = vu_syncobj_fence(u, f, good, 0);

		KUNIT_EXPECT_TRUE(test, still && dma_fence_is_signaled(still));
	}
}

/*
 * EXECBUFFER does not wait for its in-fence: with a fence nobody signals
 * the ioctl returns, and the host sees no SUBMIT_3D until the test
 * signals the fence.
 */
static void virtio_gpu_execbuffer_returns_before_in_fence(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *in, *out;
	struct vu_exec x;

	vu_rings(u, f, 1, 0);
	in = vu_foreign_fence(u);
	vu_exec_init(&x);
	x.flags |= VIRTGPU_EXECBUF_RING_IDX;
	x.in_fd = vu_fence_fd(u, in);
	KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
	out = x_out(u, &x);
	KUNIT_EXPECT_EQ(test, x_submits(u), 0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));

	dma_fence_signal(in);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
}

/* An empty command stream is submitted as such. */
static void virtio_gpu_execbuffer_empty_stream(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer eb = { .fence_fd = -1 };
	struct virtio_gpu_cmd_submit s;

	eb.command = vu_uptr(vu_ualloc(u, 8));
	KUNIT_ASSERT_EQ(test, vu_execbuffer(u, f, &eb), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &s, sizeof(s)), sizeof(s));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(s.size), 0);
}

/*
 * Jobs of one ring complete in order: completing up to the second fence
 * signals the first two out-fences and leaves the third.
 */
static void virtio_gpu_execbuffer_ring_completes_in_order(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *out[3];
	u64 id[3];
	struct vu_exec x;
	int i;

	vu_rings(u, f, 1, 0);
	vu_hold_ring(u, f, 0);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, x_ring_job(u, f, 0, &x), 0);
		out[i] = x_out(u, &x);
		KUNIT_ASSERT_TRUE(test, vu_host_submits(u, i + 1));
		id[i] = vu_ring_last(u, f, 0);
	}
	KUNIT_EXPECT_LT(test, id[0], id[1]);
	KUNIT_EXPECT_LT(test, id[1], id[2]);
	KUNIT_EXPECT_EQ(test, vu_complete_ring(u, f, 0, id[1]), 2);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out[1]));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(out[0]));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out[2]));
	KUNIT_EXPECT_EQ(test, vu_complete_ring(u, f, 0, id[2]), 1);
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(out[2]));
}

/*
 * Rings are independent end to end: file A has a context with two rings,
 * file B one with one ring, all held. A's ring 1 gets the earliest fence,
 * then B's ring 0, then A's ring 0. Completing A's ring 0 (the latest
 * fence) signals that job alone; B's and A's ring 1 follow only when
 * their own rings complete.
 */
static void virtio_gpu_execbuffer_rings_independent(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *a = vu_open(u), *b = vu_open(u);
	struct dma_fence *a1, *b0, *a0;
	u64 id_a1, id_b0, id_a0;
	struct vu_exec x;

	vu_rings(u, a, 2, 0);
	vu_rings(u, b, 1, 0);
	vu_hold_ring(u, a, 0);
	vu_hold_ring(u, a, 1);
	vu_hold_ring(u, b, 0);

	KUNIT_ASSERT_EQ(test, x_ring_job(u, a, 1, &x), 0);
	a1 = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, x_ring_job(u, b, 0, &x), 0);
	b0 = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_ASSERT_EQ(test, x_ring_job(u, a, 0, &x), 0);
	a0 = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 3));
	id_a1 = vu_ring_last(u, a, 1);
	id_b0 = vu_ring_last(u, b, 0);
	id_a0 = vu_ring_last(u, a, 0);
	KUNIT_ASSERT_LT(test, id_a1, id_b0);
	KUNIT_ASSERT_LT(test, id_b0, id_a0);

	KUNIT_EXPECT_EQ(test, vu_complete_ring(u, a, 0, id_a0), 1);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(a0));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(a1));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(b0));

	KUNIT_EXPECT_EQ(test, vu_complete_ring(u, b, 0, id_b0), 1);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(b0));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(a1));

	KUNIT_EXPECT_EQ(test, vu_complete_ring(u, a, 1, id_a1), 1);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(a1));
	KUNIT_EXPECT_EQ(test, a0->error, 0);
	KUNIT_EXPECT_EQ(test, a1->error, 0);
	KUNIT_EXPECT_EQ(test, b0->error, 0);
}

static const struct x_u32 x_dep_kinds[] = {
	{ "other-ring", 0 }, { "other-context", 1 }, { "foreign-fence", 2 },
	{ "global-timeline", 3 },
};

KUNIT_ARRAY_PARAM_DESC(x_dep_kinds, x_dep_kinds, desc);

/*
 * An in-fence from elsewhere (another ring of the file, another file's
 * context, a fence foreign to the driver, the global timeline) holds a
 * job back: the host sees its SUBMIT_3D only after that fence signalled.
 */
static void virtio_gpu_execbuffer_in_fence_from_elsewhere(struct kunit *test)
{
	const struct x_u32 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *a = vu_open(u), *b = vu_open(u);
	struct dma_fence *in = NULL, *out;
	unsigned int before;
	struct vu_exec x;
	int in_fd;

	vu_rings(u, a, 2, 0);
	vu_rings(u, b, 1, 0);
	switch (p->v) {
	case 0:
	case 1:
	case 3:
		if (p->v == 3) {
			vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
			vu_exec_init(&x);
			KUNIT_ASSERT_EQ(test, vu_submit(u, b, &x), 0);
		} else {
			vu_hold_ring(u, p->v ? b : a, p->v ? 0 : 1);
			KUNIT_ASSERT_EQ(test, x_ring_job(u, p->v ? b : a, p->v ? 0 : 1, &x), 0);
		}
		in_fd = x.out_fd;
		KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
		break;
	default:
		in = vu_foreign_fence(u);
		in_fd = vu_fence_fd(u, in);
		break;
	}
	before = x_submits(u);

	vu_exec_init(&x);
	x.flags |= VIRTGPU_EXECBUF_RING_IDX;
	x.in_fd = in_fd;
	KUNIT_ASSERT_EQ(test, vu_submit(u, a, &x), 0);
	out = x_out(u, &x);
	KUNIT_EXPECT_EQ(test, x_submits(u), before);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));

	switch (p->v) {
	case 0:
		vu_complete_ring(u, a, 1, vu_ring_last(u, a, 1));
		break;
	case 1:
		vu_complete_ring(u, b, 0, vu_ring_last(u, b, 0));
		break;
	case 2:
		dma_fence_signal(in);
		break;
	case 3:
		vgt_release(u->t, VGPU_FAKE_GLOBAL);
		break;
	}
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, before + 1));
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
}

/* FENCE_FD_IN and FENCE_FD_OUT together: fence_fd is replaced by the out-fence. */
static void virtio_gpu_execbuffer_in_and_out_fence_fd(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *in = vu_foreign_fence(u), *out;
	struct vu_exec x;

	vu_exec_init(&x);
	x.in_fd = vu_fence_fd(u, in);
	KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
	KUNIT_EXPECT_NE(test, x.out_fd, x.in_fd);
	out = x_out(u, &x);
	KUNIT_EXPECT_NE_MSG(test, (uintptr_t)out, (uintptr_t)in, "the out-fence is the in-fence");
	dma_fence_signal(in);
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(out));
}

/*
 * A command stream larger than kmalloc can give lands in vmalloc memory:
 * on a control queue long enough for a chain of one descriptor per page,
 * it still reaches the host byte for byte, all of it, and the device
 * refuses no descriptor.
 */
static void virtio_gpu_execbuffer_stream_above_kmalloc_max(struct kunit *test)
{
	const size_t size = KMALLOC_MAX_SIZE + PAGE_SIZE + 100;
	struct drm_virtgpu_execbuffer eb = { .fence_fd = -1 };
	struct vgpu_fake_host_config cfg;
	struct virtio_gpu_cmd_submit cmd;
	struct file *f;
	struct vu *u;
	unsigned long ubase;
	size_t seen, i;
	u64 hash, want;
	u8 *page;

	/* Room for a chain of a descriptor per page (virtio_gpu_vbuf_set_data()). */
	vgt_config(&cfg, VU_F_ALL);
	cfg.ctrl_queue_size = roundup_pow_of_two(size / PAGE_SIZE + 4);
	u = vu_create(test, &cfg);
	f = vu_open(u);

	ubase = kunit_vm_mmap(test, NULL, 0, size, PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, !ubase || IS_ERR_VALUE(ubase));
	page = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	for (i = 0; i < size; i += PAGE_SIZE) {
		size_t n = min_t(size_t, PAGE_SIZE, size - i), j;

		for (j = 0; j < n; j++)
			page[j] = (i + j) * 13 + ((i + j) >> 12);
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(ubase + i), page, n), 0);
	}

	eb.command = ubase;
	eb.size = size;
	KUNIT_ASSERT_EQ(test, vu_execbuffer(u, f, &eb), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));

	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &cmd, sizeof(cmd)), sizeof(cmd));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.size), size);
	hash = vgpu_fake_host_last_cmd_hash(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D, &seen);
	KUNIT_EXPECT_EQ(test, seen, sizeof(cmd) + size);
	/* Every byte the device read, hashed as the device did. */
	want = vgpu_fake_hash(&cmd, sizeof(cmd));
	for (i = 0; i < size; i += PAGE_SIZE) {
		size_t n = min_t(size_t, PAGE_SIZE, size - i);

		KUNIT_ASSERT_EQ(test, copy_from_user(page, (void __user *)(ubase + i), n), 0);
		want = vgpu_fake_hash_more(want, page, n);
	}
	KUNIT_EXPECT_EQ(test, hash, want);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_dma_faults(u->t->host), 0);
}

/* @e asks for a run queue its scheduler has, and sits on that queue. */
static void x_entity_served(struct kunit *test, const struct drm_sched_entity *e)
{
	const struct drm_gpu_scheduler *sched;

	KUNIT_ASSERT_NOT_NULL(test, e->rq);
	sched = e->rq->sched;
	KUNIT_ASSERT_NOT_NULL(test, sched);
	KUNIT_ASSERT_LT_MSG(test, (u32)e->priority, sched->num_rqs,
			    "priority %d not served by %s", e->priority, sched->name);
	KUNIT_EXPECT_PTR_EQ(test, e->rq, sched->sched_rq[e->priority]);
}

/*
 * The entities submissions go to, the file's global one and those of its
 * rings, ask for a priority their scheduler serves, so the scheduler never
 * has to lower it (and log that it did).
 */
static void virtio_gpu_exec_entity_priority_served(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *g = vu_open(u), *r = vu_open(u);
	struct vu_exec x;
	u32 i;

	vu_exec_init(&x);
	KUNIT_ASSERT_EQ(test, vu_submit(u, g, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(x_out(u, &x)));
	vu_rings(u, r, 2, 0);
	KUNIT_ASSERT_EQ(test, x_ring_job(u, r, 1, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(x_out(u, &x)));

	KUNIT_ASSERT_TRUE(test, vu_fpriv(g)->global_entity_ready);
	x_entity_served(test, &vu_fpriv(g)->global_entity);
	for (i = 0; i < vu_fpriv(r)->num_rings; i++)
		x_entity_served(test, &vu_fpriv(r)->rings[i].entity);
}

static struct kunit_case x_exec_cases[] = {
	KUNIT_CASE(virtio_gpu_execbuffer_global_timeline),
	KUNIT_CASE_PARAM(virtio_gpu_execbuffer_ring_tagged_and_fenced, x_ring_ids_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_execbuffer_bad, x_bads_gen_params),
	KUNIT_CASE(virtio_gpu_execbuffer_returns_before_in_fence),
	KUNIT_CASE(virtio_gpu_execbuffer_empty_stream),
	KUNIT_CASE(virtio_gpu_execbuffer_ring_completes_in_order),
	KUNIT_CASE(virtio_gpu_execbuffer_rings_independent),
	KUNIT_CASE_PARAM(virtio_gpu_execbuffer_in_fence_from_elsewhere, x_dep_kinds_gen_params),
	KUNIT_CASE(virtio_gpu_execbuffer_in_and_out_fence_fd),
	KUNIT_CASE(virtio_gpu_execbuffer_stream_above_kmalloc_max),
	KUNIT_CASE(virtio_gpu_exec_entity_priority_served),
	{}
};

static struct kunit_suite x_exec_suite = {
	.name = "virtio_gpu_uapi_execbuffer",
	.init = vgpu_fake_suite_init_qemu,
	.test_cases = x_exec_cases,
};

static struct kunit_suite x_exec_suite_crosvm = {
	.name = "virtio_gpu_uapi_execbuffer_crosvm",
	.init = vgpu_fake_suite_init_crosvm,
	.test_cases = x_exec_cases,
};

/* ---- virtio_gpu_uapi_syncobj ---- */

/* Submits on ring 0 of @f with in/out syncobjs, each @stride bytes apart. */
static int s_submit(struct vu *u, struct file *f,
		    const struct drm_virtgpu_execbuffer_syncobj *in, u32 nin,
		    const struct drm_virtgpu_execbuffer_syncobj *out, u32 nout,
		    u32 stride)
{
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_RING_IDX, .fence_fd = -1,
		.num_in_syncobjs = nin, .num_out_syncobjs = nout,
		.syncobj_stride = stride,
	};
	u8 *buf = kunit_kzalloc(u->test, (nin + nout + 1) * stride, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(u->test, buf);
	for (i = 0; i < nin; i++)
		memcpy(buf + i * stride, &in[i], min_t(u32, stride, sizeof(*in)));
	if (nin)
		eb.in_syncobjs = vu_uptr(vu_ucopy(u, buf, nin * stride));
	for (i = 0; i < nout; i++)
		memcpy(buf + i * stride, &out[i], min_t(u32, stride, sizeof(*out)));
	if (nout)
		eb.out_syncobjs = vu_uptr(vu_ucopy(u, buf, nout * stride));
	return vu_execbuffer(u, f, &eb);
}

/* Puts @fence into syncobj @h of @f, at @point (0: replace the fence). */
static void s_put_fence(struct vu *u, struct file *f, u32 h, struct dma_fence *fence,
			u64 point)
{
	struct drm_syncobj *so = drm_syncobj_find(f->private_data, h);
	struct dma_fence_chain *chain;

	KUNIT_ASSERT_NOT_NULL(u->test, so);
	if (point) {
		chain = dma_fence_chain_alloc();
		if (chain)
			drm_syncobj_add_point(so, chain, fence, point);
	} else {
		chain = NULL;
		drm_syncobj_replace_fence(so, fence);
	}
	drm_syncobj_put(so);
	KUNIT_ASSERT_TRUE(u->test, !point || chain);
}

/* Sets up @f with one held ring. */
static void s_ring(struct vu *u, struct file *f)
{
	vu_rings(u, f, 1, 0);
	vu_hold_ring(u, f, 0);
}

static void s_complete(struct vu *u, struct file *f)
{
	vu_complete_ring(u, f, 0, vu_ring_last(u, f, 0));
}

/*
 * A binary out-syncobj gets the job's fence: unsignalled while the ring is
 * held, signalled once the host completed it.
 */
static void virtio_gpu_syncobj_out_binary(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	u32 h[3];
	struct drm_virtgpu_execbuffer_syncobj out[3];
	struct dma_fence *fence[3];
	int i;

	s_ring(u, f);
	for (i = 0; i < 3; i++) {
		h[i] = vu_syncobj(u, f, i == 2);
		out[i] = x_sobj(h[i], 0, 0);
	}
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, out, 3, sizeof(out[0])), 0);
	for (i = 0; i < 3; i++) {
		fence[i] = vu_syncobj_fence(u, f, h[i], 0);
		KUNIT_ASSERT_NOT_NULL(test, fence[i]);
		KUNIT_EXPECT_PTR_EQ(test, fence[i], fence[0]);
	}
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence[0]));
	s_complete(u, f);
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(fence[0]));
}

/*
 * Timeline out-syncobjs: two jobs add points 3 and 7 to one syncobj; the
 * last signalled point follows the host's completions.
 */
static void virtio_gpu_syncobj_out_timeline_points(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj out;
	struct dma_fence *p7;
	u64 id1, point;
	u32 h;

	s_ring(u, f);
	h = vu_syncobj(u, f, false);
	out = x_sobj(h, 0, 3);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, &out, 1, sizeof(out)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	id1 = vu_ring_last(u, f, 0);
	out = x_sobj(h, 0, 7);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, &out, 1, sizeof(out)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));

	KUNIT_ASSERT_EQ(test, vu_syncobj_query(u, f, h, &point), 0);
	KUNIT_EXPECT_EQ(test, point, 0);
	p7 = vu_syncobj_fence(u, f, h, 7);
	KUNIT_ASSERT_NOT_NULL(test, p7);

	vu_complete_ring(u, f, 0, id1);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(vu_syncobj_fence(u, f, h, 3)));
	KUNIT_ASSERT_EQ(test, vu_syncobj_query(u, f, h, &point), 0);
	KUNIT_EXPECT_EQ(test, point, 3);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(p7));

	s_complete(u, f);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(p7));
	KUNIT_ASSERT_EQ(test, vu_syncobj_query(u, f, h, &point), 0);
	KUNIT_EXPECT_EQ(test, point, 7);
}

/*
 * A binary in-syncobj from one job holds back a job of another file's
 * ring until the first completes.
 */
static void virtio_gpu_syncobj_in_binary_holds_job(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj sync;
	struct dma_fence *fence;
	u32 hf, hg;

	s_ring(u, f);
	vu_rings(u, g, 1, 0);
	hf = vu_syncobj(u, f, false);
	sync = x_sobj(hf, 0, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, &sync, 1, sizeof(sync)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));

	/* Carry the fence over to @g's syncobj, as userspace would with an fd. */
	fence = vu_syncobj_fence(u, f, hf, 0);
	KUNIT_ASSERT_NOT_NULL(test, fence);
	hg = vu_syncobj(u, g, false);
	s_put_fence(u, g, hg, fence, 0);
	sync = x_sobj(hg, 0, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, g, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_EXPECT_EQ(test, x_submits(u), 1);
	s_complete(u, f);
	KUNIT_EXPECT_TRUE(test, vu_host_submits(u, 2));
}

/*
 * A timeline in-syncobj point made by an earlier job's out-syncobj holds
 * back the next job until that point signals.
 */
static void virtio_gpu_syncobj_in_timeline_holds_job(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj sync;
	u32 h;

	s_ring(u, f);
	vu_rings(u, g, 1, 0);
	h = vu_syncobj(u, g, false);
	KUNIT_ASSERT_EQ(test, vu_syncobj_signal(u, g, h, 1), 0);
	/* @g waits for point 1, already signalled: it runs at once. */
	sync = x_sobj(h, 0, 1);
	KUNIT_ASSERT_EQ(test, s_submit(u, g, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));

	/* A job of @f adds point 5 through a syncobj @f shares with nobody. */
	sync = x_sobj(vu_syncobj(u, f, false), 0, 5);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, &sync, 1, sizeof(sync)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	/* A timeline hands out its chain node: add the fence inside it. */
	s_put_fence(u, g, h,
		    dma_fence_chain_contained(vu_syncobj_fence(u, f, sync.handle, 5)), 5);
	sync = x_sobj(h, 0, 5);
	KUNIT_ASSERT_EQ(test, s_submit(u, g, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_EXPECT_EQ(test, x_submits(u), 2);
	s_complete(u, f);
	KUNIT_EXPECT_TRUE(test, vu_host_submits(u, 3));
}

/* Waiting for a timeline point nobody added yet is -EINVAL. */
static void virtio_gpu_syncobj_in_missing_point(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj sync;
	u32 h;

	vu_rings(u, f, 1, 0);
	h = vu_syncobj(u, f, false);
	KUNIT_ASSERT_EQ(test, vu_syncobj_signal(u, f, h, 3), 0);
	sync = x_sobj(h, 0, 4);
	KUNIT_EXPECT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), -EINVAL);
	KUNIT_EXPECT_EQ(test, x_submits(u), 0);
}

/*
 * Timeline points are 64-bit: waiting for point 2^32 + 3 of a syncobj that
 * only reached point 3 is a point nobody added (-EINVAL), not point 3.
 */
static void virtio_gpu_syncobj_in_point_is_64bit(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj sync;
	u32 h;

	vu_rings(u, f, 1, 0);
	h = vu_syncobj(u, f, false);
	KUNIT_ASSERT_EQ(test, vu_syncobj_signal(u, f, h, 3), 0);
	sync = x_sobj(h, 0, BIT_ULL(32) + 3);
	KUNIT_EXPECT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), -EINVAL);
	KUNIT_EXPECT_EQ(test, x_submits(u), 0);
}

/* The RESET flag empties a binary in-syncobj once the job is submitted. */
static void virtio_gpu_syncobj_in_reset_flag(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj sync;
	u32 h, keep;

	vu_rings(u, f, 1, 0);
	h = vu_syncobj(u, f, true);
	keep = vu_syncobj(u, f, true);
	sync = x_sobj(h, VIRTGPU_EXECBUF_SYNCOBJ_RESET, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), 0);
	sync = x_sobj(keep, 0, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_EXPECT_NULL(test, vu_syncobj_fence(u, f, h, 0));
	KUNIT_EXPECT_NOT_NULL(test, vu_syncobj_fence(u, f, keep, 0));
	/* Using the emptied syncobj as an in-syncobj again fails. */
	sync = x_sobj(h, 0, 0);
	KUNIT_EXPECT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), -EINVAL);
	KUNIT_EXPECT_TRUE(test, vu_host_submits(u, 2));
}

static const struct x_u32 s_strides[] = {
	{ "stride-8", 8 }, { "stride-16", 16 }, { "stride-40", 40 },
};

KUNIT_ARRAY_PARAM_DESC(s_strides, s_strides, desc);

/*
 * Any stride that covers handle and flags works; a short stride reads no
 * point (binary), a long one skips the extra bytes.
 */
static void virtio_gpu_syncobj_any_stride(struct kunit *test)
{
	const struct x_u32 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj in[2], out[2];
	struct dma_fence *a, *b;

	s_ring(u, f);
	in[0] = x_sobj(vu_syncobj(u, f, true), 0, 0);
	in[1] = x_sobj(vu_syncobj(u, f, true), 0, 0);
	out[0] = x_sobj(vu_syncobj(u, f, false), 0, 0);
	out[1] = x_sobj(vu_syncobj(u, f, false), 0, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, in, 2, out, 2, p->v), 0);
	a = vu_syncobj_fence(u, f, out[0].handle, 0);
	b = vu_syncobj_fence(u, f, out[1].handle, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	s_complete(u, f);
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(a));
}

/* An out-syncobj on a global-timeline job works the same. */
static void virtio_gpu_syncobj_out_global_timeline(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj out;
	struct drm_virtgpu_execbuffer eb = {
		.fence_fd = -1, .num_out_syncobjs = 1, .syncobj_stride = sizeof(out),
	};
	struct dma_fence *fence;

	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	out = x_sobj(vu_syncobj(u, f, false), 0, 0);
	eb.out_syncobjs = vu_uptr(vu_ucopy(u, &out, sizeof(out)));
	KUNIT_ASSERT_EQ(test, vu_execbuffer(u, f, &eb), 0);
	fence = vu_syncobj_fence(u, f, out.handle, 0);
	KUNIT_ASSERT_NOT_NULL(test, fence);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));
	vgt_release(u->t, VGPU_FAKE_GLOBAL);
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(fence));
}

static struct kunit_case s_cases[] = {
	KUNIT_CASE(virtio_gpu_syncobj_out_binary),
	KUNIT_CASE(virtio_gpu_syncobj_out_timeline_points),
	KUNIT_CASE(virtio_gpu_syncobj_in_binary_holds_job),
	KUNIT_CASE(virtio_gpu_syncobj_in_timeline_holds_job),
	KUNIT_CASE(virtio_gpu_syncobj_in_missing_point),
	KUNIT_CASE(virtio_gpu_syncobj_in_point_is_64bit),
	KUNIT_CASE(virtio_gpu_syncobj_in_reset_flag),
	KUNIT_CASE_PARAM(virtio_gpu_syncobj_any_stride, s_strides_gen_params),
	KUNIT_CASE(virtio_gpu_syncobj_out_global_timeline),
	{}
};

static struct kunit_suite s_suite = {
	.name = "virtio_gpu_uapi_syncobj",
	.test_cases = s_cases,
};

/* ---- virtio_gpu_uapi_implicit ---- */

static int i_job(struct vu *u, struct file *f, bool ring, u32 ring_idx, const u32 *bos,
		 u32 n, struct vu_exec *x)
{
	vu_exec_init(x);
	if (ring) {
		x->flags |= VIRTGPU_EXECBUF_RING_IDX;
		x->ring_idx = ring_idx;
	}
	x->bos = bos;
	x->num_bos = n;
	return vu_submit(u, f, x);
}

/*
 * Two rings of one file share a BO: the reader on ring 1 reaches the host
 * only after the writer on ring 0 completed.
 */
static void virtio_gpu_implicit_rings_share_bo(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *w, *r;
	struct vu_exec x;
	u32 bo;

	vu_rings(u, f, 2, 0);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bo, 0), 0);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &bo, 1, &x), 0);
	w = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 1, &bo, 1, &x), 0);
	r = x_out(u, &x);
	KUNIT_EXPECT_EQ(test, x_submits(u), 1);

	vu_complete_ring(u, f, 0, vu_ring_last(u, f, 0));
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(w));
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(r));
}

/* Without a shared BO the same two jobs do not wait for each other. */
static void virtio_gpu_implicit_no_shared_bo_no_wait(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;
	u32 a, b;

	vu_rings(u, f, 2, 0);
	a = vu_bo(u, f);
	b = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, a, 0), 0);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, b, 0), 0);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &a, 1, &x), 0);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 1, &b, 1, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(x_out(u, &x)));
}

/*
 * A BO shared with another file through PRIME: the other file's reader
 * reaches the host only after the writer completed.
 */
static void virtio_gpu_implicit_prime_share(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *a = vu_open(u), *b = vu_open(u);
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct dma_fence *r;
	struct vu_exec x;
	u32 bo;

	vu_rings(u, a, 1, 0);
	vu_rings(u, b, 1, 0);
	bo = vu_bo(u, a);
	KUNIT_ASSERT_EQ(test, vu_wait(u, a, bo, 0), 0);
	ph.handle = bo;
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, a, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	vu_track_fd(u, ph.fd);
	ph.handle = 0;
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, b, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph), 0);

	vu_hold_ring(u, a, 0);
	KUNIT_ASSERT_EQ(test, i_job(u, a, true, 0, &bo, 1, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, i_job(u, b, true, 0, &ph.handle, 1, &x), 0);
	r = x_out(u, &x);
	KUNIT_EXPECT_EQ(test, x_submits(u), 1);
	KUNIT_EXPECT_EQ(test, vu_wait(u, b, ph.handle, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	vu_complete_ring(u, a, 0, vu_ring_last(u, a, 0));
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(r));
}

/*
 * A BO imported from another device has no host resource here: a job
 * may name it, and naming it is not mistaken for using a resource that a
 * reset lost.
 */
static void virtio_gpu_implicit_prime_import_foreign(struct kunit *test)
{
	struct vu *u = vu_create_3d(test), *other = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(other);
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct dma_fence *out;
	struct vu_exec x;
	u32 bo;

	vu_rings(u, f, 1, 0);
	bo = vu_bo(other, g);
	KUNIT_ASSERT_EQ(test, vu_wait(other, g, bo, 0), 0);
	ph.handle = bo;
	KUNIT_ASSERT_EQ(test, vu_ioctl(other, g, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	vu_track_fd(other, ph.fd);
	ph.handle = 0;
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph), 0);

	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &ph.handle, 1, &x), 0);
	out = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
}

/*
 * A job waits for the creation of its BO: with the global timeline held,
 * the BO is busy and a ring job using it stays off the host.
 */
static void virtio_gpu_implicit_waits_for_bo_creation(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;
	u32 bo;

	vu_rings(u, f, 1, 0);
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &bo, 1, &x), 0);
	KUNIT_EXPECT_EQ(test, x_submits(u), 0);
	vgt_release(u->t, VGPU_FAKE_GLOBAL);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(x_out(u, &x)));
}

/* A chain of three jobs on three rings over one BO runs in order. */
static void virtio_gpu_implicit_chain_in_order(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;
	u32 bo, i;

	vu_rings(u, f, 3, 0);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bo, 0), 0);
	for (i = 0; i < 3; i++) {
		vu_hold_ring(u, f, i);
		KUNIT_ASSERT_EQ(test, i_job(u, f, true, i, &bo, 1, &x), 0);
	}
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_TRUE(test, vu_host_submits(u, i + 1));
		KUNIT_EXPECT_EQ(test, x_submits(u), i + 1);
		vu_complete_ring(u, f, i, vu_ring_last(u, f, i));
	}
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(x_out(u, &x)));
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, 0), 0);
}

static struct kunit_case i_cases[] = {
	KUNIT_CASE(virtio_gpu_implicit_rings_share_bo),
	KUNIT_CASE(virtio_gpu_implicit_no_shared_bo_no_wait),
	KUNIT_CASE(virtio_gpu_implicit_prime_share),
	KUNIT_CASE(virtio_gpu_implicit_prime_import_foreign),
	KUNIT_CASE(virtio_gpu_implicit_waits_for_bo_creation),
	KUNIT_CASE(virtio_gpu_implicit_chain_in_order),
	{}
};

static struct kunit_suite i_suite = {
	.name = "virtio_gpu_uapi_implicit",
	.test_cases = i_cases,
};

/* ---- virtio_gpu_uapi_events ---- */

/**
 * struct e_case - jobs per ring and which rings are polled
 * @desc: its name
 * @num_rings: rings of the context
 * @poll: POLL_RINGS_MASK
 * @jobs: jobs submitted on rings 0..3
 * @global: jobs submitted on the global timeline
 */
struct e_case {
	const char *desc;
	u32 num_rings;
	u64 poll;
	u32 jobs[4];
	u32 global;
};

static const struct e_case e_cases[] = {
	{ "ring0-polled-3-jobs-ring1-2", 2, BIT(0), { 3, 2 }, 0 },
	{ "ring1-polled-only-ring0-used", 2, BIT(1), { 2, 0 }, 0 },
	{ "no-poll", 2, 0, { 1, 1 }, 0 },
	{ "all-polled", 4, 0xf, { 1, 2, 3, 1 }, 0 },
	{ "global-never-polled", 1, BIT(0), { 0 }, 3 },
	{ "ring63-polled", 64, BIT_ULL(63), { 1 }, 0 },
};

KUNIT_ARRAY_PARAM_DESC(e_cases, e_cases, desc);

/*
 * POLL_RINGS_MASK: each signalled job of a polled ring sends exactly one
 * VIRTGPU_EVENT_FENCE_SIGNALED event, read with the file's read op; jobs
 * of other rings and of the global timeline send none, and nothing is
 * readable before the host completes.
 */
static void virtio_gpu_events_one_per_polled_job(struct kunit *test)
{
	const struct e_case *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *last[5] = {};
	unsigned int n, want = 0, total = 0;
	u32 r, j;
	struct vu_exec x;

	vu_rings(u, f, p->num_rings, p->poll);
	for (r = 0; r < 4 && r < p->num_rings; r++)
		vu_hold_ring(u, f, r);
	vu_hold_ring(u, f, p->num_rings - 1);
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	for (r = 0; r < 4; r++) {
		for (j = 0; j < p->jobs[r]; j++) {
			u32 ring = p->num_rings == 64 ? 63 : r;

			KUNIT_ASSERT_EQ(test, x_ring_job(u, f, ring, &x), 0);
			last[r] = x_out(u, &x);
			total++;
			if (p->poll & BIT_ULL(ring))
				want++;
		}
	}
	for (j = 0; j < p->global; j++) {
		vu_exec_init(&x);
		KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
		last[4] = x_out(u, &x);
		total++;
	}
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, total));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0);

	for (r = 0; r < 4 && r < p->num_rings; r++)
		vu_complete_ring(u, f, r, vu_ring_last(u, f, r));
	vu_complete_ring(u, f, p->num_rings - 1, vu_ring_last(u, f, p->num_rings - 1));
	vgt_release(u->t, VGPU_FAKE_GLOBAL);
	for (r = 0; r < 5; r++)
		if (last[r])
			KUNIT_ASSERT_TRUE(test, vu_fence_wait(last[r]));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, want);
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0);
}

/* Events are per file: another file's polled ring sends this one nothing. */
static void virtio_gpu_events_per_file(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(u);
	unsigned int n;
	struct vu_exec x;

	vu_rings(u, f, 1, 1);
	vu_rings(u, g, 1, 1);
	KUNIT_ASSERT_EQ(test, x_ring_job(u, g, 0, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(x_out(u, &x)));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_ASSERT_EQ(test, vu_read_events(u, g, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
}

/* One event per job, as each completes, not one per completion batch. */
static void virtio_gpu_events_as_each_job_completes(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *out[2];
	unsigned int n;
	struct vu_exec x;
	u64 first;

	vu_rings(u, f, 1, 1);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, x_ring_job(u, f, 0, &x), 0);
	out[0] = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	first = vu_ring_last(u, f, 0);
	KUNIT_ASSERT_EQ(test, x_ring_job(u, f, 0, &x), 0);
	out[1] = x_out(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));

	vu_complete_ring(u, f, 0, first);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out[0]));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out[1]));
	vu_complete_ring(u, f, 0, vu_ring_last(u, f, 0));
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out[1]));
	KUNIT_ASSERT_EQ(test, vu_read_events(u, f, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
}

static struct kunit_case e_test_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_events_one_per_polled_job, e_cases_gen_params),
	KUNIT_CASE(virtio_gpu_events_per_file),
	KUNIT_CASE(virtio_gpu_events_as_each_job_completes),
	{}
};

static struct kunit_suite e_suite = {
	.name = "virtio_gpu_uapi_events",
	.test_cases = e_test_cases,
};

kunit_test_suites(&x_exec_suite, &x_exec_suite_crosvm, &s_suite, &i_suite, &e_suite);
