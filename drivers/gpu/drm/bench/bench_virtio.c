// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Benchmark of virtio-gpu fence completion, through the UAPI and the wire
 * protocol only.
 *
 * A virtio-gpu driver is bound to the fake device of the virtio-gpu KUnit
 * suites. One 3D context with T rings submits F commands per ring with
 * EXECBUFFER; the host holds every fenced response, so T x F out-fences
 * are pending (a driver may keep part of the commands in the guest until
 * earlier ones complete). The host then completes the oldest command of
 * each ring, ring after ring, and the case times how long it takes until
 * the matching out-fences have signalled: the cost of one completion with
 * about T x F fences pending.
 * Nothing here depends on a driver's internals, so `make bench` runs the
 * same file against the base tree's virtio-gpu driver and the project's.
 *
 * Each result is one line
 *
 *   bench <workload> n=<T x F> ns=<median ns per completion> [k=v ...]
 *
 * like the scheduler's benchmarks. Nothing is asserted about speed.
 */

#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>
#include <linux/virtio.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/virtgpu_drm.h>
#include <kunit/test.h>

#include "../virtio/tests/fake_host.h"
#include "bench.h"

/* Rounds of completions timed per case; each round is one per ring. */
#define VBENCH_ROUNDS		7
#define VBENCH_WAIT		(10 * HZ)
/* Largest split virtqueue; a pending fence holds one of its entries. */
#define VBENCH_MAX_QUEUE	32768
/* Rings of a context, as the UAPI allows. */
#define VBENCH_MAX_RINGS	64
/* Ring entries kept free besides the pending commands. */
#define VBENCH_QUEUE_SLACK	64

struct vbench_param {
	const char *workload;
	u32 timelines;
	u32 per_timeline;
};

/*
 * Total pending T x F up to 32000: a held response keeps its request in
 * the control queue, and a split virtqueue has at most 32768 entries, so
 * no host can keep 64 x 1024 fenced commands pending at once.
 */
static const struct vbench_param vbench_params[] = {
	{ "virtio_completion_1_timeline", 1, 4 },
	{ "virtio_completion_1_timeline", 1, 64 },
	{ "virtio_completion_1_timeline", 1, 1000 },
	{ "virtio_completion_1_timeline", 1, 10000 },
	{ "virtio_completion_64_timelines", 64, 1 },
	{ "virtio_completion_64_timelines", 64, 16 },
	{ "virtio_completion_64_timelines", 64, 128 },
	{ "virtio_completion_64_timelines", 64, 500 },
};

static void vbench_desc(const struct vbench_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u timelines x %u pending",
		 p->timelines, p->per_timeline);
}

KUNIT_ARRAY_PARAM(vbench, vbench_params, vbench_desc);

static const u8 vbench_venus_caps[] = { 'v', 'e', 'n', 'u', 's' };
/* What EXECBUFFER sends; the fake host does not interpret it. */
static const u32 vbench_stream[4] = { 0xbe0c0001, 0xbe0c0002, 0xbe0c0003, 0xbe0c0004 };

/**
 * struct vbench - one case's device, file and user memory
 * @test: the case
 * @host: the fake device
 * @file: a file of the bound driver's render node
 * @uarg: user memory ioctl arguments are passed in
 * @udata: user memory for what the arguments point at
 * @fences: out-fences of the submissions, ring after ring; NULL where a
 *	submission was not made
 * @num: entries in @fences
 */
struct vbench {
	struct kunit *test;
	struct vgpu_fake_host *host;
	struct file *file;
	void __user *uarg;
	void __user *udata;
	struct dma_fence **fences;
	unsigned int num;
};

KUNIT_DEFINE_ACTION_WRAPPER(vbench_fput, __fput_sync, struct file *);

static void vbench_fences_put(void *data)
{
	struct vbench *b = data;
	unsigned int i;

	for (i = 0; i < b->num; i++)
		dma_fence_put(b->fences[i]);
	kvfree(b->fences);
}

/* An ioctl as a process issues it: the argument goes through user memory. */
static int vbench_ioctl(struct vbench *b, unsigned int cmd, void *arg)
{
	size_t size = _IOC_SIZE(cmd);
	long ret;

	KUNIT_ASSERT_EQ(b->test, copy_to_user(b->uarg, arg, size), 0);
	ret = drm_ioctl(b->file, cmd, (unsigned long)b->uarg);
	KUNIT_ASSERT_EQ(b->test, copy_from_user(arg, b->uarg, size), 0);
	return ret;
}

static void vbench_open(struct vbench *b, u32 queue_size)
{
	struct kunit *test = b->test;
	struct vgpu_fake_host_config cfg;
	struct drm_device *drm;
	unsigned long addr;

	vgpu_fake_host_default_config(&cfg);
	cfg.features = VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL |
		       VGPU_FAKE_F_CONTEXT_INIT | VGPU_FAKE_F_INDIRECT_DESC;
	cfg.num_capsets = 1;
	cfg.capsets[0] = (struct vgpu_fake_capset){
		VIRTIO_GPU_CAPSET_VENUS, 0, 160, vbench_venus_caps,
		sizeof(vbench_venus_caps)
	};
	cfg.ctrl_queue_size = queue_size;
	b->host = vgpu_fake_host_create(test, &cfg);
	KUNIT_ASSERT_TRUE_MSG(test, vgpu_fake_host_bound(b->host),
			      "no virtio-gpu driver bound to the fake device");
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(b->host));

	drm = vgpu_fake_host_drm(b->host);
	KUNIT_ASSERT_NOT_NULL(test, drm);
	b->file = mock_drm_getfile(drm->render ?: drm->primary, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vbench_fput,
							b->file), 0);

	addr = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!addr || IS_ERR_VALUE(addr))
		kunit_skip(test, "no user memory for the test thread");
	b->uarg = (void __user *)addr;
	b->udata = (void __user *)(addr + PAGE_SIZE);
}

/* Entries of the control queue the driver got. */
static unsigned int vbench_queue_size(struct vbench *b)
{
	struct virtio_device *vdev = vgpu_fake_host_vdev(b->host);
	struct virtqueue *vq;

	vq = list_first_entry_or_null(&vdev->vqs, struct virtqueue, list);
	KUNIT_ASSERT_NOT_NULL(b->test, vq);
	KUNIT_ASSERT_EQ(b->test, vq->index, 0);
	return virtqueue_get_vring_size(vq);
}

/* A context with @rings rings; returns its host context id. */
static u32 vbench_context(struct vbench *b, u32 rings)
{
	struct kunit *test = b->test;
	struct drm_virtgpu_context_set_param params[2] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTIO_GPU_CAPSET_VENUS },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, rings },
	};
	struct drm_virtgpu_context_init ci = {
		.num_params = ARRAY_SIZE(params),
		.ctx_set_params = (uintptr_t)b->udata,
	};
	struct virtio_gpu_ctx_create cc;

	KUNIT_ASSERT_EQ(test, copy_to_user(b->udata, params, sizeof(params)), 0);
	KUNIT_ASSERT_EQ(test, vbench_ioctl(b, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci), 0);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(b->host, VIRTIO_GPU_CMD_CTX_CREATE, 1));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(b->host));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(b->host, VIRTIO_GPU_CMD_CTX_CREATE,
						      &cc, sizeof(cc)), sizeof(cc));
	return le32_to_cpu(cc.hdr.ctx_id);
}

/* EXECBUFFER on @ring with an out-fence; returns the fence. */
static struct dma_fence *vbench_submit(struct vbench *b, u32 ring)
{
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT | VIRTGPU_EXECBUF_RING_IDX,
		.size = sizeof(vbench_stream),
		.command = (uintptr_t)b->udata,
		.fence_fd = -1,
		.ring_idx = ring,
	};
	struct dma_fence *fence;

	KUNIT_ASSERT_EQ(b->test, vbench_ioctl(b, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb), 0);
	KUNIT_ASSERT_GE(b->test, eb.fence_fd, 0);
	fence = sync_file_get_fence(eb.fence_fd);
	close_fd(eb.fence_fd);
	KUNIT_ASSERT_NOT_NULL(b->test, fence);
	return fence;
}

/*
 * Wait until the driver stopped sending commands and the host took all it
 * was sent, so that no submission work overlaps a timed completion.
 */
static void vbench_settle(struct vbench *b)
{
	unsigned long deadline = jiffies + VBENCH_WAIT;
	unsigned int before, after;

	after = vgpu_fake_host_cmd_count(b->host, VIRTIO_GPU_CMD_SUBMIT_3D);
	do {
		before = after;
		usleep_range(2000, 3000);
		KUNIT_ASSERT_TRUE(b->test, vgpu_fake_host_sync(b->host));
		after = vgpu_fake_host_cmd_count(b->host, VIRTIO_GPU_CMD_SUBMIT_3D);
	} while (after != before && time_before(jiffies, deadline));
	KUNIT_ASSERT_EQ_MSG(b->test, after, before, "the driver kept submitting");
}

/* Fence id of the oldest command the host holds on @tl. */
static u64 vbench_oldest(struct vbench *b, struct vgpu_fake_tl tl)
{
	u64 id = 0;

	KUNIT_ASSERT_EQ_MSG(b->test, vgpu_fake_host_parked_ids(b->host, tl, &id, 1), 1,
			    "the host holds nothing on ring %u", tl.ring_idx);
	return id;
}

static void vbench_completion(struct kunit *test)
{
	const struct vbench_param *p = test->param_value;
	u32 rings = p->timelines, per = p->per_timeline;
	unsigned int n = rings * per, rounds = min(per, VBENCH_ROUNDS);
	u64 times[VBENCH_ROUNDS], oldest[VBENCH_MAX_RINGS], drain;
	struct vbench *b;
	unsigned int i, r, t;
	char extra[64];
	ktime_t start;
	u32 ctx;

	KUNIT_ASSERT_LE(test, rings, VBENCH_MAX_RINGS);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->test = test;
	vbench_open(b, min(roundup_pow_of_two(n + VBENCH_QUEUE_SLACK),
			   VBENCH_MAX_QUEUE));
	if (vbench_queue_size(b) < n + VBENCH_QUEUE_SLACK)
		kunit_skip(test, "control queue of %u entries, %u needed",
			   vbench_queue_size(b), n + VBENCH_QUEUE_SLACK);

	b->fences = kvcalloc(n, sizeof(*b->fences), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->fences);
	b->num = n;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vbench_fences_put, b), 0);

	ctx = vbench_context(b, rings);
	for (t = 0; t < rings; t++)
		vgpu_fake_host_hold(b->host, VGPU_FAKE_RING(ctx, t));
	KUNIT_ASSERT_EQ(test, copy_to_user(b->udata, vbench_stream,
					   sizeof(vbench_stream)), 0);

	/* Interleaved: the first command of every ring, then the second... */
	for (r = 0; r < per; r++) {
		for (t = 0; t < rings; t++)
			b->fences[t * per + r] = vbench_submit(b, t);
	}
	vbench_settle(b);

	/*
	 * Each round completes the oldest command the host holds on every
	 * ring. A driver may keep part of the submissions queued in the
	 * guest; the host then sees them as earlier ones complete.
	 */
	for (r = 0; r < rounds; r++) {
		for (t = 0; t < rings; t++)
			oldest[t] = vbench_oldest(b, VGPU_FAKE_RING(ctx, t));
		start = ktime_get();
		for (t = 0; t < rings; t++)
			KUNIT_ASSERT_EQ(test,
					vgpu_fake_host_complete(b->host, VGPU_FAKE_RING(ctx, t),
								oldest[t]), 1);
		for (t = 0; t < rings; t++)
			KUNIT_ASSERT_GT(test, dma_fence_wait_timeout(b->fences[t * per + r],
								     false, VBENCH_WAIT), 0);
		times[r] = div_u64(ktime_to_ns(ktime_sub(ktime_get(), start)), rings);
		/* Nothing later on the rings signalled with them. */
		for (t = 0; r + 1 < per && t < rings; t++)
			KUNIT_ASSERT_FALSE(test, dma_fence_is_signaled(b->fences[t * per + r + 1]));
		vbench_settle(b);
	}

	/* The rest in one go: the host answers all it holds, and what follows. */
	start = ktime_get();
	for (t = 0; t < rings; t++)
		vgpu_fake_host_release(b->host, VGPU_FAKE_RING(ctx, t));
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_GT(test, dma_fence_wait_timeout(b->fences[i], false,
							     VBENCH_WAIT), 0);
	drain = ktime_to_ns(ktime_sub(ktime_get(), start));

	snprintf(extra, sizeof(extra), "timelines=%u drain_ns_per_fence=%llu",
		 rings, n > rounds * rings ? div_u64(drain, n - rounds * rings) : 0);
	bench_report(test, p->workload, n, bench_median(times, rounds), extra);
}

static struct kunit_case vbench_cases[] = {
	KUNIT_CASE_PARAM_ATTR(vbench_completion, vbench_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite vbench_suite = {
	.name = "drm_virtio_gpu_bench",
	.test_cases = vbench_cases,
};

kunit_test_suite(vbench_suite);
