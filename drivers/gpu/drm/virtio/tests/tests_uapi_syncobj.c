// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_syncobj: EXECBUFFER's in and out syncobjs,
 * binary and timeline, with the host's ring timeline held and completed
 * by hand.
 */

#include <kunit/test.h>

#include <drm/drm_syncobj.h>

#include "vgpu_uapi.h"

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
		out[i] = vu_sobj(h[i], 0, 0);
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
	out = vu_sobj(h, 0, 3);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, &out, 1, sizeof(out)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	id1 = vu_ring_last(u, f, 0);
	out = vu_sobj(h, 0, 7);
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
	sync = vu_sobj(hf, 0, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, &sync, 1, sizeof(sync)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));

	/* Carry the fence over to @g's syncobj, as userspace would with an fd. */
	fence = vu_syncobj_fence(u, f, hf, 0);
	KUNIT_ASSERT_NOT_NULL(test, fence);
	hg = vu_syncobj(u, g, false);
	s_put_fence(u, g, hg, fence, 0);
	sync = vu_sobj(hg, 0, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, g, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 1);
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
	sync = vu_sobj(h, 0, 1);
	KUNIT_ASSERT_EQ(test, s_submit(u, g, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));

	/* A job of @f adds point 5 through a syncobj @f shares with nobody. */
	sync = vu_sobj(vu_syncobj(u, f, false), 0, 5);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, NULL, 0, &sync, 1, sizeof(sync)), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	/* A timeline hands out its chain node: add the fence inside it. */
	s_put_fence(u, g, h,
		    dma_fence_chain_contained(vu_syncobj_fence(u, f, sync.handle, 5)), 5);
	sync = vu_sobj(h, 0, 5);
	KUNIT_ASSERT_EQ(test, s_submit(u, g, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 2);
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
	sync = vu_sobj(h, 0, 4);
	KUNIT_EXPECT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), -EINVAL);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
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
	sync = vu_sobj(h, 0, BIT_ULL(32) + 3);
	KUNIT_EXPECT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), -EINVAL);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
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
	sync = vu_sobj(h, VIRTGPU_EXECBUF_SYNCOBJ_RESET, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), 0);
	sync = vu_sobj(keep, 0, 0);
	KUNIT_ASSERT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), 0);
	KUNIT_EXPECT_NULL(test, vu_syncobj_fence(u, f, h, 0));
	KUNIT_EXPECT_NOT_NULL(test, vu_syncobj_fence(u, f, keep, 0));
	/* Using the emptied syncobj as an in-syncobj again fails. */
	sync = vu_sobj(h, 0, 0);
	KUNIT_EXPECT_EQ(test, s_submit(u, f, &sync, 1, NULL, 0, sizeof(sync)), -EINVAL);
	KUNIT_EXPECT_TRUE(test, vu_host_submits(u, 2));
}

static const struct vu_u64 s_strides[] = {
	{ "stride-8", 8 }, { "stride-16", 16 }, { "stride-40", 40 },
};

KUNIT_ARRAY_PARAM_DESC(s_strides, s_strides, desc);

/*
 * Any stride that covers handle and flags works; a short stride reads no
 * point (binary), a long one skips the extra bytes.
 */
static void virtio_gpu_syncobj_any_stride(struct kunit *test)
{
	const struct vu_u64 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_execbuffer_syncobj in[2], out[2];
	struct dma_fence *a, *b;

	s_ring(u, f);
	in[0] = vu_sobj(vu_syncobj(u, f, true), 0, 0);
	in[1] = vu_sobj(vu_syncobj(u, f, true), 0, 0);
	out[0] = vu_sobj(vu_syncobj(u, f, false), 0, 0);
	out[1] = vu_sobj(vu_syncobj(u, f, false), 0, 0);
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
	out = vu_sobj(vu_syncobj(u, f, false), 0, 0);
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

VGPU_FAKE_SUITES(s_suite, "virtio_gpu_uapi_syncobj", s_cases);
