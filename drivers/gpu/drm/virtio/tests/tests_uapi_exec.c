// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_execbuffer, and its crosvm twin: submissions
 * through DRM files on the fake device, with the host's ring timelines
 * held and completed by hand, so every ordering is decided by the test.
 */

#include <kunit/test.h>
#include <linux/log2.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vgpu_uapi.h"

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
	out = vu_out_fence(u, &x);
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

static const struct vu_u64 x_ring_ids[] = {
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
	const struct vu_u64 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct virtio_gpu_cmd_submit s;
	struct dma_fence *out;
	struct vu_exec x;

	vu_rings(u, f, 64, 0);
	vu_hold_ring(u, f, p->v);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, p->v, NULL, 0, &x), 0);
	out = vu_out_fence(u, &x);
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
	struct drm_virtgpu_execbuffer_syncobj so = vu_sobj(handle, flags, 0);
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

/*
 * Counts and sizes no allocation can hold: refused with -ENOMEM, as the
 * base driver does, but without the allocator's warning, which any user
 * could otherwise trigger at will.
 */
static void x_size_4g(struct vu *u, struct file *f,
		      struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->size = U32_MAX;
}

static void x_in_syncobjs_4g(struct vu *u, struct file *f,
			     struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, true, good, 0);
	eb->num_in_syncobjs = U32_MAX;
}

static void x_out_syncobjs_4g(struct vu *u, struct file *f,
			      struct drm_virtgpu_execbuffer *eb, u32 good)
{
	x_one_syncobj(u, eb, false, good, 0);
	eb->num_out_syncobjs = U32_MAX;
}

static void x_bo_handles_4g(struct vu *u, struct file *f,
			    struct drm_virtgpu_execbuffer *eb, u32 good)
{
	eb->bo_handles = vu_uptr(vu_ucopy(u, &good, sizeof(good)));
	eb->num_bo_handles = U32_MAX;
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
	{ "command-size-4g", X_CTX_RINGS, x_size_4g, -ENOMEM },
	{ "in-syncobj-count-4g", X_CTX_RINGS, x_in_syncobjs_4g, -ENOMEM },
	{ "out-syncobj-count-4g", X_CTX_RINGS, x_out_syncobjs_4g, -ENOMEM },
	{ "bo-handle-count-4g", X_CTX_RINGS, x_bo_handles_4g, -ENOMEM },
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
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
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
	out = vu_out_fence(u, &x);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
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
		KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
		out[i] = vu_out_fence(u, &x);
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

	KUNIT_ASSERT_EQ(test, vu_ring_job(u, a, 1, NULL, 0, &x), 0);
	a1 = vu_out_fence(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, b, 0, NULL, 0, &x), 0);
	b0 = vu_out_fence(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, a, 0, NULL, 0, &x), 0);
	a0 = vu_out_fence(u, &x);
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

static const struct vu_u64 x_dep_kinds[] = {
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
	const struct vu_u64 *p = test->param_value;
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
			KUNIT_ASSERT_EQ(test,
					vu_ring_job(u, p->v ? b : a, p->v ? 0 : 1, NULL, 0, &x), 0);
		}
		in_fd = x.out_fd;
		KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
		break;
	default:
		in = vu_foreign_fence(u);
		in_fd = vu_fence_fd(u, in);
		break;
	}
	before = vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D);

	vu_exec_init(&x);
	x.flags |= VIRTGPU_EXECBUF_RING_IDX;
	x.in_fd = in_fd;
	KUNIT_ASSERT_EQ(test, vu_submit(u, a, &x), 0);
	out = vu_out_fence(u, &x);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), before);
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
	out = vu_out_fence(u, &x);
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
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(vu_out_fence(u, &x)));
	vu_rings(u, r, 2, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, r, 1, NULL, 0, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(vu_out_fence(u, &x)));

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

VGPU_FAKE_SUITES(x_exec_suite, "virtio_gpu_uapi_execbuffer", x_exec_cases);
