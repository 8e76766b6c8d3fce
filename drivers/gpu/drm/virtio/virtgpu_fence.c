// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Fence timelines
 *
 * Every fence the driver emits gets its id from one device-wide counter,
 * taken under the control queue lock, so the order of the queue is the
 * order of the ids. Each fence also belongs to a timeline, that is a
 * dma-fence context: the global timeline, or ring ``ring_idx`` of a 3D
 * context, whose fence context is the context's first one plus
 * ``ring_idx``.
 *
 * The host answers a command once it is done with it. Everything about
 * the fence of an answered command comes from the request, which the
 * driver knows, never from the answer: hosts do not all echo the ring
 * (QEMU sends back the fence flag, the fence id and the ``ctx_id`` only;
 * crosvm also echoes ``VIRTIO_GPU_FLAG_INFO_RING_IDX`` and ``ring_idx``),
 * and a host that echoes wrongly must not signal fences it never
 * completed. Echoes that disagree with the request (ids compared on their
 * low 32 bits, for hosts that keep no more) are counted in
 * &virtio_gpu_fence_stats.mismatch and logged at a limited rate.
 *
 * A timeline completes in order. A success answer to the command of fence
 * N of timeline T therefore signals the fences of T up to N and touches
 * nothing else. An error answer does not tell that the commands before it
 * completed (QEMU answers a failing command at once): fence N is done with
 * the error and signals, in order, once the fences before it on T have.
 * Each timeline keeps its pending fences in id order, so a completion costs
 * O(fences signalled).
 *
 * When the device is reset or removed, every pending fence signals with
 * -ENODEV; a fence created after removal signals with -ENODEV at once.
 */

#include <linux/slab.h>

#include <drm/drm_print.h>

#include "virtgpu_drv.h"

struct virtio_gpu_timeline_rcu {
	struct virtio_gpu_timeline tl;
	struct rcu_head rcu;
};

static const char *virtio_gpu_fence_driver_name(struct dma_fence *f)
{
	return VIRTIO_GPU_DRIVER_NAME;
}

static struct virtio_gpu_fence *to_virtio_gpu_fence(struct dma_fence *f)
{
	return container_of(f, struct virtio_gpu_fence, base);
}

static const char *virtio_gpu_fence_timeline_name(struct dma_fence *f)
{
	return to_virtio_gpu_fence(f)->tl->name;
}

static void virtio_gpu_fence_release(struct dma_fence *f)
{
	struct virtio_gpu_fence *fence = to_virtio_gpu_fence(f);
	struct virtio_gpu_timeline *tl = fence->tl;

	dma_fence_free(f);
	virtio_gpu_timeline_put(tl);
}

static const struct dma_fence_ops virtio_gpu_fence_ops = {
	.get_driver_name = virtio_gpu_fence_driver_name,
	.get_timeline_name = virtio_gpu_fence_timeline_name,
	.release = virtio_gpu_fence_release,
	.use_64bit_seqno = true,
};

/**
 * virtio_gpu_is_fence - whether a fence was created by this driver
 * @f: any fence
 *
 * Returns: true for fences of virtio_gpu_fence_alloc().
 */
bool virtio_gpu_is_fence(struct dma_fence *f)
{
	return f->ops == &virtio_gpu_fence_ops;
}

static struct virtio_gpu_timeline *
virtio_gpu_timeline_create(u64 context, u32 ctx_id, u32 ring_idx, bool ring)
{
	struct virtio_gpu_timeline_rcu *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct virtio_gpu_timeline *tl;

	if (!t)
		return NULL;
	tl = &t->tl;
	kref_init(&tl->ref);
	spin_lock_init(&tl->lock);
	INIT_LIST_HEAD(&tl->pending);
	tl->context = context;
	tl->ctx_id = ctx_id;
	tl->ring_idx = ring_idx;
	tl->ring = ring;
	if (ring)
		snprintf(tl->name, sizeof(tl->name), "ctx%u-ring%u", ctx_id, ring_idx);
	else
		strscpy(tl->name, "global", sizeof(tl->name));
	return tl;
}

static void virtio_gpu_timeline_release(struct kref *ref)
{
	struct virtio_gpu_timeline_rcu *t =
		container_of(ref, struct virtio_gpu_timeline_rcu, tl.ref);

	/* Completions look timelines up under RCU. */
	kfree_rcu(t, rcu);
}

/**
 * virtio_gpu_timeline_put - drop a timeline reference
 * @tl: the timeline, may be NULL
 */
void virtio_gpu_timeline_put(struct virtio_gpu_timeline *tl)
{
	if (tl)
		kref_put(&tl->ref, virtio_gpu_timeline_release);
}

/**
 * virtio_gpu_timeline_get - look a timeline up
 * @vgdev: the device
 * @ctx_id: 3D context id, 0 for the global timeline
 * @ring_idx: ring of @ctx_id; ignored for the global timeline
 *
 * Returns: a referenced timeline, or NULL when there is no such ring.
 */
struct virtio_gpu_timeline *virtio_gpu_timeline_get(struct virtio_gpu_device *vgdev,
						    u32 ctx_id, u32 ring_idx)
{
	struct virtio_gpu_timeline *tl = NULL;
	struct virtio_gpu_ring_set *set;

	if (!ctx_id) {
		kref_get(&vgdev->fence_drv.global->ref);
		return vgdev->fence_drv.global;
	}

	rcu_read_lock();
	set = xa_load(&vgdev->fence_drv.ring_sets, ctx_id);
	if (set && ring_idx < set->num_rings) {
		tl = set->rings[ring_idx];
		if (!kref_get_unless_zero(&tl->ref))
			tl = NULL;
	}
	rcu_read_unlock();
	return tl;
}

/**
 * virtio_gpu_rings_create - give a 3D context its ring timelines
 * @vgdev: the device
 * @ctx_id: the context, not 0
 * @num_rings: 1 to %VIRTIO_GPU_MAX_RINGS
 *
 * Returns: 0, -EINVAL for a bad argument, -EEXIST when @ctx_id has rings
 * already, -ENOMEM.
 */
int virtio_gpu_rings_create(struct virtio_gpu_device *vgdev, u32 ctx_id,
			    u32 num_rings)
{
	struct virtio_gpu_ring_set *set;
	u64 context;
	u32 i;
	int ret;

	if (!ctx_id || !num_rings || num_rings > VIRTIO_GPU_MAX_RINGS)
		return -EINVAL;

	set = kzalloc(struct_size(set, rings, num_rings), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	set->ctx_id = ctx_id;
	set->num_rings = num_rings;

	context = dma_fence_context_alloc(num_rings);
	for (i = 0; i < num_rings; i++) {
		set->rings[i] = virtio_gpu_timeline_create(context + i, ctx_id, i, true);
		if (!set->rings[i]) {
			ret = -ENOMEM;
			goto err;
		}
	}

	ret = xa_insert(&vgdev->fence_drv.ring_sets, ctx_id, set, GFP_KERNEL);
	if (ret)
		goto err;
	return 0;

err:
	for (i = 0; i < num_rings; i++)
		virtio_gpu_timeline_put(set->rings[i]);
	kfree(set);
	return ret == -EBUSY ? -EEXIST : ret;
}

static void virtio_gpu_timeline_cancel(struct virtio_gpu_timeline *tl, int error);

/* Ends what is pending on the rings and drops the set's references. */
static void virtio_gpu_ring_set_free(struct virtio_gpu_ring_set *set, int error)
{
	u32 i;

	for (i = 0; i < set->num_rings; i++) {
		virtio_gpu_timeline_cancel(set->rings[i], error);
		virtio_gpu_timeline_put(set->rings[i]);
	}
	kfree_rcu(set, rcu);
}

/**
 * virtio_gpu_rings_destroy - drop the ring timelines of a 3D context
 * @vgdev: the device
 * @ctx_id: the context
 *
 * Fences still pending on the rings signal with -ECANCELED: once the
 * rings are gone nothing could match a late answer of the host to them
 * (such an answer is ignored). The fences keep their timeline, and its
 * name, alive.
 */
void virtio_gpu_rings_destroy(struct virtio_gpu_device *vgdev, u32 ctx_id)
{
	struct virtio_gpu_ring_set *set = xa_erase(&vgdev->fence_drv.ring_sets, ctx_id);

	if (set)
		virtio_gpu_ring_set_free(set, -ECANCELED);
}

/**
 * virtio_gpu_timeline_wait_idle - wait for a ring's emitted fences
 * @vgdev: the device
 * @ctx_id: the 3D context
 * @ring_idx: its ring
 *
 * Waits until every fence emitted on the ring so far has signalled: the
 * host completed them, or a reset or removal ended them. The ring
 * completes in order, so the newest fence is the only one waited for.
 * Returns at once for a ring that does not exist (any more).
 */
void virtio_gpu_timeline_wait_idle(struct virtio_gpu_device *vgdev, u32 ctx_id,
				   u32 ring_idx)
{
	struct virtio_gpu_timeline *tl;
	struct virtio_gpu_fence *last;
	unsigned long irqflags;

	might_sleep();
	if (WARN_ON_ONCE(!ctx_id))
		return;
	tl = virtio_gpu_timeline_get(vgdev, ctx_id, ring_idx);
	if (!tl)
		return;
	spin_lock_irqsave(&tl->lock, irqflags);
	last = NULL;
	if (!list_empty(&tl->pending)) {
		last = list_last_entry(&tl->pending, struct virtio_gpu_fence, node);
		dma_fence_get(&last->base);
	}
	spin_unlock_irqrestore(&tl->lock, irqflags);
	virtio_gpu_timeline_put(tl);

	if (last) {
		dma_fence_wait(&last->base, false);
		dma_fence_put(&last->base);
	}
}

/**
 * virtio_gpu_fence_alloc - create a fence for a command to come
 * @vgdev: the device
 * @ctx_id: 3D context id, 0 for the global timeline
 * @ring_idx: ring of @ctx_id
 *
 * The fence gets its id when a command emits it. After the device was
 * removed the fence is returned already signalled with -ENODEV (on the
 * global timeline, as the rings are gone by then).
 *
 * Returns: the fence (drop it with virtio_gpu_fence_put()), or
 * ERR_PTR(-EINVAL) for an unknown ring, ERR_PTR(-ENOMEM).
 */
struct virtio_gpu_fence *virtio_gpu_fence_alloc(struct virtio_gpu_device *vgdev,
						u32 ctx_id, u32 ring_idx)
{
	bool gone = READ_ONCE(vgdev->unplugged);
	struct virtio_gpu_timeline *tl;
	struct virtio_gpu_fence *fence;

	tl = virtio_gpu_timeline_get(vgdev, gone ? 0 : ctx_id, ring_idx);
	if (!tl)
		return ERR_PTR(-EINVAL);

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence) {
		virtio_gpu_timeline_put(tl);
		return ERR_PTR(-ENOMEM);
	}
	fence->tl = tl;
	INIT_LIST_HEAD(&fence->node);
	/* The seqno is the fence id, known once the fence is emitted. */
	dma_fence_init(&fence->base, &virtio_gpu_fence_ops, &tl->lock,
		       tl->context, 0);

	if (gone)
		virtio_gpu_fence_fail(fence, -ENODEV);
	return fence;
}

/**
 * virtio_gpu_fence_put - drop a fence reference
 * @fence: the fence, may be NULL
 */
void virtio_gpu_fence_put(struct virtio_gpu_fence *fence)
{
	if (fence)
		dma_fence_put(&fence->base);
}

static unsigned int virtio_gpu_timeline_signal(struct virtio_gpu_timeline *tl,
					       u64 id);

/**
 * virtio_gpu_fence_fail - end a fence whose command will never reach the host
 * @fence: the fence
 * @error: its error
 *
 * A fence not emitted yet signals at once. An emitted one (whose command
 * could not be queued after all) is done with @error, but signals only
 * once the fences emitted before it on its timeline have: a timeline
 * signals in order.
 */
void virtio_gpu_fence_fail(struct virtio_gpu_fence *fence, int error)
{
	unsigned long flags;

	spin_lock_irqsave(fence->base.lock, flags);
	if (!list_empty(&fence->node)) {
		fence->host_done = true;
		fence->host_error = error;
		virtio_gpu_timeline_signal(fence->tl, 0);
	} else if (!dma_fence_is_signaled_locked(&fence->base)) {
		dma_fence_set_error(&fence->base, error);
		dma_fence_signal_locked(&fence->base);
	}
	spin_unlock_irqrestore(fence->base.lock, flags);
}

/**
 * virtio_gpu_fence_emit - give a fence its id and tag a command with it
 * @vgdev: the device
 * @hdr: the command header
 * @fence: the fence
 *
 * Called with the control queue lock held, right before the command is
 * queued, so ids follow the order of the queue.
 */
void virtio_gpu_fence_emit(struct virtio_gpu_device *vgdev,
			   struct virtio_gpu_ctrl_hdr *hdr,
			   struct virtio_gpu_fence *fence)
{
	struct virtio_gpu_timeline *tl = fence->tl;
	u32 flags = VIRTIO_GPU_FLAG_FENCE;
	unsigned long irqflags;
	u64 id;

	lockdep_assert_held(&vgdev->ctrlq.lock);

	id = ++vgdev->fence_drv.last_id;
	spin_lock_irqsave(&tl->lock, irqflags);
	fence->base.seqno = id;
	fence->emitted = true;
	dma_fence_get(&fence->base);
	list_add_tail(&fence->node, &tl->pending);
	spin_unlock_irqrestore(&tl->lock, irqflags);

	if (tl->ring) {
		WARN_ON_ONCE(le32_to_cpu(hdr->ctx_id) != tl->ctx_id);
		flags |= VIRTIO_GPU_FLAG_INFO_RING_IDX;
		hdr->ring_idx = tl->ring_idx;
	}
	hdr->flags |= cpu_to_le32(flags);
	hdr->fence_id = cpu_to_le64(id);
}

/*
 * Signals the fences of @tl up to @id, then those after them that are
 * already done (virtio_gpu_fence_fail(), error answers), each with the
 * error it was done with. Returns how many signalled.
 */
static unsigned int virtio_gpu_timeline_signal(struct virtio_gpu_timeline *tl,
					       u64 id)
{
	struct virtio_gpu_fence *fence, *next;
	unsigned int count = 0;

	lockdep_assert_held(&tl->lock);

	list_for_each_entry_safe(fence, next, &tl->pending, node) {
		if (fence->base.seqno > id && !fence->host_done)
			break;
		list_del_init(&fence->node);
		if (fence->host_done && fence->host_error)
			dma_fence_set_error(&fence->base, fence->host_error);
		dma_fence_signal_locked(&fence->base);
		dma_fence_put(&fence->base);
		count++;
	}
	return count;
}

/*
 * Whether the header of an answer agrees with the request it answers: the
 * fence flag and id, which the virtio spec requires the device to echo (the
 * low 32 bits are enough for hosts that keep no more), and the ctx_id and
 * the ring when the answer names them. A device may leave those zero: the
 * spec asks for nothing more, and QEMU never sets the ring.
 */
static bool virtio_gpu_fence_echo_ok(const struct virtio_gpu_fence *fence,
				     const struct virtio_gpu_ctrl_hdr *req,
				     const struct virtio_gpu_ctrl_hdr *resp)
{
	const struct virtio_gpu_timeline *tl = fence->tl;
	u32 flags = le32_to_cpu(resp->flags);
	u64 id = le64_to_cpu(resp->fence_id);

	if (!(flags & VIRTIO_GPU_FLAG_FENCE))
		return false;
	if (resp->ctx_id && resp->ctx_id != req->ctx_id)
		return false;
	if (id != fence->base.seqno &&
	    (id > U32_MAX || id != lower_32_bits(fence->base.seqno)))
		return false;
	if (!(flags & VIRTIO_GPU_FLAG_INFO_RING_IDX))
		return true;
	return tl->ring && resp->ring_idx == tl->ring_idx;
}

/**
 * virtio_gpu_fence_complete - handle the fence part of a response
 * @vgdev: the device
 * @fence: the fence the command was emitted with, or NULL
 * @req: the command's header, as sent
 * @resp: the response header, of at least its size
 * @error: errno of an error response, 0 for success
 *
 * The answer to a command is the proof that the host is done with it.
 * Everything about the fence comes from the request, which the driver
 * knows; the answer's fence fields are a cross-check, counted in
 * &virtio_gpu_fence_stats.mismatch when they disagree and never followed.
 *
 * A success answer means the host completed the command, and a ring
 * completes in order: @fence signals with the fences emitted before it on
 * its timeline. An error answer says nothing about earlier commands (QEMU
 * answers a failing command at once): @fence is done with @error and
 * signals once the earlier ones have. An answer that carries
 * %VIRTIO_GPU_FLAG_FENCE for a command without a fence is counted as
 * malformed and changes nothing.
 */
void virtio_gpu_fence_complete(struct virtio_gpu_device *vgdev,
			       struct virtio_gpu_fence *fence,
			       const struct virtio_gpu_ctrl_hdr *req,
			       const struct virtio_gpu_ctrl_hdr *resp,
			       int error)
{
	struct virtio_gpu_fence_stats *stats = &vgdev->fence_drv.stats;
	struct virtio_gpu_timeline *tl;
	unsigned long irqflags;
	unsigned int count = 0;

	if (!fence) {
		if (le32_to_cpu(resp->flags) & VIRTIO_GPU_FLAG_FENCE) {
			atomic_inc(&stats->malformed);
			dev_warn_ratelimited(vgdev->ddev.dev,
					     "host answered an unfenced command with fence %llu\n",
					     le64_to_cpu(resp->fence_id));
		}
		return;
	}
	tl = fence->tl;

	if (!virtio_gpu_fence_echo_ok(fence, req, resp)) {
		atomic_inc(&stats->mismatch);
		dev_warn_ratelimited(vgdev->ddev.dev,
				     "answer to fence %llu on %s echoes flags 0x%x, fence %llu, context %u, ring %u\n",
				     fence->base.seqno, tl->name, le32_to_cpu(resp->flags),
				     le64_to_cpu(resp->fence_id), le32_to_cpu(resp->ctx_id),
				     resp->ring_idx);
	}

	spin_lock_irqsave(&tl->lock, irqflags);
	if (list_empty(&fence->node)) {
		/* Signalled with a later answer already, or cancelled. */
		atomic_inc(&stats->stale);
	} else if (error) {
		fence->host_done = true;
		fence->host_error = error;
		count = virtio_gpu_timeline_signal(tl, 0);
	} else {
		count = virtio_gpu_timeline_signal(tl, fence->base.seqno);
	}
	spin_unlock_irqrestore(&tl->lock, irqflags);

	if (!count)
		drm_dbg_driver(&vgdev->ddev, "answer to fence %llu on %s signalled nothing yet\n",
			       fence->base.seqno, tl->name);
}

static void virtio_gpu_timeline_cancel(struct virtio_gpu_timeline *tl, int error)
{
	struct virtio_gpu_fence *fence, *next;
	unsigned long irqflags;

	spin_lock_irqsave(&tl->lock, irqflags);
	list_for_each_entry_safe(fence, next, &tl->pending, node) {
		list_del_init(&fence->node);
		dma_fence_set_error(&fence->base, error);
		dma_fence_signal_locked(&fence->base);
		dma_fence_put(&fence->base);
	}
	spin_unlock_irqrestore(&tl->lock, irqflags);
}

/**
 * virtio_gpu_fence_cancel_all - signal every pending fence with an error
 * @vgdev: the device
 * @error: the error, -ENODEV on reset and removal
 */
void virtio_gpu_fence_cancel_all(struct virtio_gpu_device *vgdev, int error)
{
	struct virtio_gpu_ring_set *set;
	unsigned long ctx_id;
	u32 i;

	virtio_gpu_timeline_cancel(vgdev->fence_drv.global, error);

	xa_lock(&vgdev->fence_drv.ring_sets);
	xa_for_each(&vgdev->fence_drv.ring_sets, ctx_id, set)
		for (i = 0; i < set->num_rings; i++)
			virtio_gpu_timeline_cancel(set->rings[i], error);
	xa_unlock(&vgdev->fence_drv.ring_sets);
}

/**
 * virtio_gpu_fence_driver_init - set up the timelines of a device
 * @vgdev: the device
 *
 * Returns: 0 or -ENOMEM.
 */
int virtio_gpu_fence_driver_init(struct virtio_gpu_device *vgdev)
{
	struct virtio_gpu_fence_driver *drv = &vgdev->fence_drv;

	xa_init(&drv->ring_sets);
	drv->last_id = 0;
	drv->global = virtio_gpu_timeline_create(dma_fence_context_alloc(1),
						 0, 0, false);
	return drv->global ? 0 : -ENOMEM;
}

/**
 * virtio_gpu_fence_driver_fini - drop the ring timelines at removal
 * @vgdev: the device, whose fences were all cancelled
 *
 * The global timeline stays until virtio_gpu_fence_driver_release(), so
 * that fences asked for by open files after removal can still be made
 * (and failed).
 */
void virtio_gpu_fence_driver_fini(struct virtio_gpu_device *vgdev)
{
	struct virtio_gpu_fence_driver *drv = &vgdev->fence_drv;
	struct virtio_gpu_ring_set *set;
	unsigned long ctx_id;

	xa_for_each(&drv->ring_sets, ctx_id, set) {
		xa_erase(&drv->ring_sets, ctx_id);
		virtio_gpu_ring_set_free(set, -ENODEV);
	}
}

/**
 * virtio_gpu_fence_driver_release - drop the global timeline
 * @vgdev: the device, released with its last DRM reference
 */
void virtio_gpu_fence_driver_release(struct virtio_gpu_device *vgdev)
{
	if (!vgdev->fence_drv.global)
		return;	/* probe failed before the timelines existed */
	xa_destroy(&vgdev->fence_drv.ring_sets);
	virtio_gpu_timeline_put(vgdev->fence_drv.global);
	vgdev->fence_drv.global = NULL;
}
