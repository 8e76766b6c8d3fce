/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers shared by the virtio-gpu KUnit suites: a driver bound to a fake
 * device, fences and rings whose cleanup KUnit owns, and bounded waits.
 */
#ifndef VGPU_TEST_H
#define VGPU_TEST_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/sched.h>

#include "../virtgpu_drv.h"
#include "fake_host.h"

/* Longest a test waits for anything before it fails. */
#define VGT_TIMEOUT		(5 * HZ)

/* Capset id 3 is reserved for gfxstream in the protocol header. */
#define VGT_CAPSET_GFXSTREAM	3

/* Features of a 3D capable host with context init and indirect rings. */
#define VGT_FEATURES_3D (VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL | \
			 VGPU_FAKE_F_CONTEXT_INIT | VGPU_FAKE_F_INDIRECT_DESC)

/**
 * struct vgt - a virtio-gpu driver bound to a fake device
 * @test: the test owning everything
 * @host: the fake device
 * @vdev: its virtio device
 * @vgdev: the driver's device; its memory stays valid until the end of the
 *	test, even after the driver was unbound
 */
struct vgt {
	struct kunit *test;
	struct vgpu_fake_host *host;
	struct virtio_device *vdev;
	struct virtio_gpu_device *vgdev;
};

/**
 * struct vgt_sig - what a fence callback saw when the fence signalled
 * @cb: the callback
 * @order: shared counter giving each signal its rank
 * @rank: rank of this signal (1 = first), 0 while unsignalled
 * @error: the fence error at the time of the callback
 * @calls: how many times the callback ran
 */
struct vgt_sig {
	struct dma_fence_cb cb;
	atomic_t *order;
	int rank;
	int error;
	int calls;
};

/**
 * struct vgt_thread - a kernel thread gated on a completion
 * @t: the device it works on
 * @fn: its work; the return value lands in @ret
 * @data: for @fn
 * @task: the thread
 * @go: completed by vgt_thread_start()
 * @done: completed when @fn returned
 * @ret: return value of @fn
 * @progress: free for @fn to count its steps
 * @started: vgt_thread_start() was called
 * @abort: the thread is stopped without running @fn
 */
struct vgt_thread {
	struct vgt *t;
	int (*fn)(struct vgt_thread *th);
	void *data;
	struct task_struct *task;
	struct completion go;
	struct completion done;
	int ret;
	atomic_t progress;
	bool started;
	bool abort;
};

void vgt_config(struct vgpu_fake_host_config *cfg, u64 features);
void vgt_config_3d(struct vgpu_fake_host_config *cfg);
struct vgt *vgt_bind(struct kunit *test, struct vgpu_fake_host *host);
struct vgt *vgt_create(struct kunit *test,
		       const struct vgpu_fake_host_config *cfg);
struct vgt *vgt_create_3d(struct kunit *test);

void vgt_rings(struct vgt *t, u32 ctx_id, u32 num_rings);
void vgt_context(struct vgt *t, u32 ctx_id, u32 capset_id, u32 num_rings);
struct virtio_gpu_fence *vgt_fence(struct vgt *t, u32 ctx_id, u32 ring_idx);
u64 vgt_submit(struct vgt *t, u32 ctx_id, struct virtio_gpu_fence *fence);
struct virtio_gpu_vbuf *vgt_vbuf(struct kunit *test, u32 cmd_size, u32 resp_size);
struct virtio_gpu_vbuf *vgt_vbuf_submit(struct vgt *t, u32 ctx_id,
					struct virtio_gpu_fence *fence);
void vgt_set_last_id(struct vgt *t, u64 last_id);

bool vgt_settle(struct vgt *t);
unsigned int vgt_complete(struct vgt *t, struct vgpu_fake_tl tl, u64 id);
unsigned int vgt_release(struct vgt *t, struct vgpu_fake_tl tl);
void vgt_unbind(struct vgt *t);

void vgt_watch(struct kunit *test, struct virtio_gpu_fence *fence,
	       struct vgt_sig *sig, atomic_t *order);

struct vgt_thread *vgt_thread_create(struct vgt *t,
				     int (*fn)(struct vgt_thread *th),
				     void *data);
void vgt_thread_start(struct vgt_thread *th);
bool vgt_thread_wait(struct vgt_thread *th);
bool vgt_thread_wait_asleep(struct vgt_thread *th);
bool vgt_wait_blocked(struct vgt *t);

/**
 * vgt_signalled - whether a fence signalled, without side effects
 * @f: the fence
 *
 * Return: the signalled bit of @f.
 */
static inline bool vgt_signalled(struct virtio_gpu_fence *f)
{
	return test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &f->base.flags);
}

/**
 * vgt_refs - references held on a fence
 * @f: the fence
 *
 * Return: its reference count.
 */
static inline unsigned int vgt_refs(struct virtio_gpu_fence *f)
{
	return kref_read(&f->base.refcount);
}

/**
 * vgt_stat - read one of the driver's refused-completion counters
 * @t: the device
 * @field: stale, unknown, future, malformed or mismatch
 */
#define vgt_stat(t, field) atomic_read(&(t)->vgdev->fence_drv.stats.field)

#endif /* VGPU_TEST_H */
