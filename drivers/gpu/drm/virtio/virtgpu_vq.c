// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Virtqueues
 *
 * A command travels as a &struct virtio_gpu_vbuf: the command, an optional
 * payload and room for the response, added to the "control" (or "cursor")
 * virtqueue as one buffer. Every command of the driver is built by
 * virtio_gpu_cmd_new(), which fills its header, and most are sent by
 * virtio_gpu_cmd_send(); a caller that reads the response keeps the buffer
 * and waits with virtio_gpu_cmd_sync(). Commands are only added under the
 * queue lock; the device is notified once per batch by virtio_gpu_notify().
 *
 * The device reaches the buffers by address, not by the kernel's virtual
 * mapping. A payload in vmalloc space (a kvmalloc'ed command stream or mem
 * entry array) goes as one descriptor per physically contiguous run of its
 * pages, described by virtio_gpu_vbuf_set_data() when the command is
 * built; a command whose chain would be longer than the queue, which the
 * virtio spec forbids even for indirect chains, fails there with -E2BIG.
 *
 * When the control queue is full, the submitter sleeps on
 * &virtio_gpu_queue.space without holding any lock. The dequeue work item
 * takes used buffers off the queue under the lock, wakes submitters, and
 * then, with no lock held, decodes each response into an errno, completes
 * fences and calls the buffer's callback.
 *
 * A response shorter than a header, longer than the room the driver gave
 * it, of a type that is neither a success nor an error, or a success other
 * than the one the command expects, is malformed: it is logged, counted,
 * ends the command with -EPROTO and completes no fence. Cursor commands get
 * no response at all.
 *
 * Sizes the host sends are never trusted: a buffer holds at most
 * %VIRTIO_GPU_VBUF_MAX_SIZE bytes, whatever size it is asked for, and the
 * used length of a response is held against the buffer before anything
 * reads it.
 */

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <drm/drm_print.h>

#include "virtgpu_drv.h"

/* How long a synchronous command waits for the host. */
#define VIRTIO_GPU_CMD_TIMEOUT	(5 * HZ)

/**
 * virtio_gpu_vbuf_alloc - allocate a command buffer
 * @cmd_size: command size, at least a &struct virtio_gpu_ctrl_hdr
 * @resp_size: response size, at least a header; 0 for a command that gets
 * no response (cursor commands)
 *
 * The buffer expects VIRTIO_GPU_RESP_OK_NODATA; a command with another
 * answer sets &virtio_gpu_vbuf.resp_type. Command and response together
 * take at most %VIRTIO_GPU_VBUF_MAX_SIZE bytes: sizes derived from what the
 * host said cannot make the buffer smaller than they are.
 *
 * Returns: the buffer with one reference and zeroed command and response,
 * or NULL when memory runs out or the sizes are above the bound.
 */
struct virtio_gpu_vbuf *virtio_gpu_vbuf_alloc(u32 cmd_size, u32 resp_size)
{
	struct virtio_gpu_vbuf *vbuf;
	size_t cmd_room, room;

	if (WARN_ON_ONCE(cmd_size < sizeof(struct virtio_gpu_ctrl_hdr) ||
			 (resp_size && resp_size < sizeof(struct virtio_gpu_ctrl_hdr))))
		return NULL;

	/* Bounded before it is aligned, so that aligning cannot wrap. */
	if (cmd_size > VIRTIO_GPU_VBUF_MAX_SIZE)
		return NULL;
	cmd_room = ALIGN(cmd_size, 8);
	if (check_add_overflow(cmd_room, resp_size, &room) ||
	    room > VIRTIO_GPU_VBUF_MAX_SIZE)
		return NULL;

	vbuf = kzalloc(struct_size(vbuf, buf, room), GFP_KERNEL);
	if (!vbuf)
		return NULL;

	kref_init(&vbuf->ref);
	init_completion(&vbuf->done);
	INIT_LIST_HEAD(&vbuf->link);
	vbuf->cmd = vbuf->buf;
	vbuf->cmd_size = cmd_size;
	vbuf->resp = vbuf->buf + cmd_room;
	vbuf->resp_size = resp_size;
	vbuf->resp_type = VIRTIO_GPU_RESP_OK_NODATA;
	return vbuf;
}

/**
 * virtio_gpu_cmd_new - allocate a command and fill its header
 * @type: VIRTIO_GPU_CMD_*
 * @ctx_id: the 3D context the command names, 0 for none
 * @cmd_size: command size, at least a &struct virtio_gpu_ctrl_hdr
 * @resp_size: response size, at least a header; 0 for a command that gets
 * no response (cursor commands)
 *
 * The one way the driver builds a command: a buffer from
 * virtio_gpu_vbuf_alloc() whose header has @type and @ctx_id, and whose
 * other bytes are zero. Flags, fence id and ring index are left to the
 * fence, when the command is queued with one. A command whose answer is
 * not VIRTIO_GPU_RESP_OK_NODATA sets &virtio_gpu_vbuf.resp_type.
 *
 * Returns: the buffer with one reference, or NULL as
 * virtio_gpu_vbuf_alloc().
 */
struct virtio_gpu_vbuf *virtio_gpu_cmd_new(u32 type, u32 ctx_id, u32 cmd_size,
					   u32 resp_size)
{
	struct virtio_gpu_ctrl_hdr *hdr;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_vbuf_alloc(cmd_size, resp_size);
	if (!vbuf)
		return NULL;
	hdr = vbuf->cmd;
	hdr->type = cpu_to_le32(type);
	hdr->ctx_id = cpu_to_le32(ctx_id);
	return vbuf;
}

static void virtio_gpu_vbuf_release(struct kref *ref)
{
	struct virtio_gpu_vbuf *vbuf = container_of(ref, struct virtio_gpu_vbuf, ref);

	virtio_gpu_fence_put(vbuf->fence);
	sg_free_table(&vbuf->data_sgt);
	if (vbuf->data_owned)
		kvfree(vbuf->data);
	kfree(vbuf);
}

/**
 * virtio_gpu_vbuf_put - drop a reference to a command buffer
 * @vbuf: the buffer
 */
void virtio_gpu_vbuf_put(struct virtio_gpu_vbuf *vbuf)
{
	kref_put(&vbuf->ref, virtio_gpu_vbuf_release);
}

/**
 * virtio_gpu_resp_to_errno - decode a response type
 * @type: VIRTIO_GPU_RESP_*
 *
 * Returns: 0 for a success type, the matching negative errno for an error
 * type, -EPROTO for anything else.
 */
int virtio_gpu_resp_to_errno(u32 type)
{
	switch (type) {
	case VIRTIO_GPU_RESP_OK_NODATA ... VIRTIO_GPU_RESP_OK_MAP_INFO:
		return 0;
	case VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY:
		return -ENOMEM;
	case VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID:
	case VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER:
		return -EINVAL;
	case VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID:
	case VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID:
		return -ENOENT;
	case VIRTIO_GPU_RESP_ERR_UNSPEC:
		return -EIO;
	default:
		if (type >= VIRTIO_GPU_RESP_ERR_UNSPEC && type < 0x1300)
			return -EIO;
		return -EPROTO;
	}
}

/* Ends a buffer: callback, waiter, and the queue's reference. */
static void virtio_gpu_vbuf_finish(struct virtio_gpu_device *vgdev,
				   struct virtio_gpu_vbuf *vbuf, int error)
{
	vbuf->error = error;
	if (vbuf->resp_cb)
		vbuf->resp_cb(vgdev, vbuf);
	complete_all(&vbuf->done);
	virtio_gpu_vbuf_put(vbuf);
}

/*
 * Checks the host's answer to @vbuf and, when it can be trusted, completes
 * the command's fence. Returns the command's result: 0, the errno of an
 * error answer, or -EPROTO for a malformed one (counted, no fence touched).
 * Ends nothing and calls no callback.
 */
static int virtio_gpu_resp_check(struct virtio_gpu_device *vgdev,
				 struct virtio_gpu_vbuf *vbuf)
{
	const struct virtio_gpu_ctrl_hdr *resp = vbuf->resp;
	u32 cmd_type = le32_to_cpu(((struct virtio_gpu_ctrl_hdr *)vbuf->cmd)->type);
	u32 type;
	int error;

	/* Commands without a response are done when the buffer is back. */
	if (!vbuf->resp_size) {
		vbuf->resp_len = 0;
		return 0;
	}

	/*
	 * The used length is the host's word only: the virtio core does not
	 * hold it against the buffer. Nothing may be read past the buffer.
	 */
	if (vbuf->resp_len > vbuf->resp_size) {
		dev_warn_ratelimited(vgdev->ddev.dev,
				     "response of %u bytes to command 0x%x overflows its %u byte buffer\n",
				     vbuf->resp_len, cmd_type, vbuf->resp_size);
		vbuf->resp_len = vbuf->resp_size;
		goto malformed;
	}

	if (vbuf->resp_len < sizeof(*resp)) {
		dev_warn_ratelimited(vgdev->ddev.dev,
				     "response of %u bytes to command 0x%x is too short\n",
				     vbuf->resp_len, cmd_type);
		goto malformed;
	}

	type = le32_to_cpu(resp->type);
	error = virtio_gpu_resp_to_errno(type);
	/* A success must be the one the command asked for. */
	if (error == -EPROTO || (!error && type != vbuf->resp_type)) {
		dev_warn_ratelimited(vgdev->ddev.dev,
				     "response type 0x%x to command 0x%x is unknown\n",
				     type, cmd_type);
		goto malformed;
	}

	if (error)
		drm_dbg_driver(&vgdev->ddev, "command 0x%x failed: response 0x%x\n",
			       cmd_type, type);

	virtio_gpu_fence_complete(vgdev, vbuf->fence, vbuf->cmd, resp, error);
	return error;

malformed:
	atomic_inc(&vgdev->fence_drv.stats.malformed);
	return -EPROTO;
}

static void virtio_gpu_handle_resp(struct virtio_gpu_device *vgdev,
				   struct virtio_gpu_vbuf *vbuf)
{
	virtio_gpu_vbuf_finish(vgdev, vbuf, virtio_gpu_resp_check(vgdev, vbuf));
}

/* Moves the used buffers of @q to @done. Returns false when none. */
static bool virtio_gpu_take_used(struct virtio_gpu_queue *q, struct list_head *done)
{
	struct virtio_gpu_vbuf *vbuf;
	unsigned int len;
	bool again;

	spin_lock_irq(&q->lock);
	do {
		virtqueue_disable_cb(q->vq);
		while ((vbuf = virtqueue_get_buf(q->vq, &len))) {
			vbuf->resp_len = len;
			list_add_tail(&vbuf->link, done);
		}
		again = !q->dead && !virtqueue_enable_cb(q->vq);
	} while (again);
	spin_unlock_irq(&q->lock);

	wake_up_all(&q->space);
	return !list_empty(done);
}

static void virtio_gpu_dequeue(struct virtio_gpu_device *vgdev,
			       struct virtio_gpu_queue *q)
{
	struct virtio_gpu_vbuf *vbuf, *next;
	LIST_HEAD(done);

	if (!virtio_gpu_take_used(q, &done))
		return;

	list_for_each_entry_safe(vbuf, next, &done, link) {
		list_del_init(&vbuf->link);
		virtio_gpu_handle_resp(vgdev, vbuf);
	}
}

/**
 * virtio_gpu_ctrl_dequeue - the control queue's dequeue work
 * @work: &virtio_gpu_queue.dequeue of the control queue
 */
void virtio_gpu_ctrl_dequeue(struct work_struct *work)
{
	struct virtio_gpu_device *vgdev =
		container_of(work, struct virtio_gpu_device, ctrlq.dequeue);

	virtio_gpu_dequeue(vgdev, &vgdev->ctrlq);
}

/**
 * virtio_gpu_cursor_dequeue - the cursor queue's dequeue work
 * @work: &virtio_gpu_queue.dequeue of the cursor queue
 */
void virtio_gpu_cursor_dequeue(struct work_struct *work)
{
	struct virtio_gpu_device *vgdev =
		container_of(work, struct virtio_gpu_device, cursorq.dequeue);

	virtio_gpu_dequeue(vgdev, &vgdev->cursorq);
}

/**
 * virtio_gpu_ctrl_ack - the control queue's interrupt callback
 * @vq: the control virtqueue
 */
void virtio_gpu_ctrl_ack(struct virtqueue *vq)
{
	struct drm_device *ddev = vq->vdev->priv;

	if (ddev)
		schedule_work(&to_virtio_gpu(ddev)->ctrlq.dequeue);
}

/**
 * virtio_gpu_cursor_ack - the cursor queue's interrupt callback
 * @vq: the cursor virtqueue
 */
void virtio_gpu_cursor_ack(struct virtqueue *vq)
{
	struct drm_device *ddev = vq->vdev->priv;

	if (ddev)
		schedule_work(&to_virtio_gpu(ddev)->cursorq.dequeue);
}

/**
 * virtio_gpu_queue_init - initialise queue bookkeeping
 * @q: the queue
 * @dequeue: its dequeue work function
 */
void virtio_gpu_queue_init(struct virtio_gpu_queue *q, work_func_t dequeue)
{
	spin_lock_init(&q->lock);
	init_waitqueue_head(&q->space);
	INIT_WORK(&q->dequeue, dequeue);
	q->pending = 0;
	q->dead = true;
	q->halted = true;
	INIT_LIST_HEAD(&q->refused);
}

/* Whether @len bytes at the start of @page continue the piece @sg. */
static bool virtio_gpu_extends(struct scatterlist *sg, struct page *page,
			       u32 len, u32 max_seg)
{
	return sg && sg->length + len <= max_seg &&
	       page_to_pfn(page) == page_to_pfn(sg_page(sg)) +
				    PFN_DOWN(sg->offset + sg->length - 1) + 1;
}

/*
 * Splits a vmalloc'ed buffer into runs of physically contiguous pages of
 * at most @max_seg bytes. Fills @fill (which has room for them) when it is
 * not NULL. Returns the number of runs.
 */
static unsigned int virtio_gpu_vmalloc_pieces(const u8 *p, u32 size, u32 max_seg,
					      struct scatterlist *fill)
{
	struct scatterlist scratch, *sg = NULL;
	unsigned int n = 0;

	sg_init_table(&scratch, 1);
	while (size) {
		u32 len = min_t(u32, size, PAGE_SIZE - offset_in_page(p));
		struct page *page = vmalloc_to_page(p);

		if (virtio_gpu_extends(sg, page, len, max_seg)) {
			sg->length += len;
		} else {
			if (!fill)
				sg = &scratch;
			else
				sg = sg ? sg_next(sg) : fill;
			sg_set_page(sg, page, len, offset_in_page(p));
			n++;
		}
		p += len;
		size -= len;
	}
	return n;
}

/**
 * virtio_gpu_vbuf_set_data - attach a payload to a command
 * @vgdev: the device
 * @vbuf: the command, not queued yet
 * @data: the payload, from the linear map or vmalloc (kvmalloc)
 * @size: its size, not 0
 * @owned: the buffer kvfree()s @data when it is released, whatever this
 *	returns
 *
 * The device reaches the payload by address only: a vmalloc'ed one is
 * described here, in process context, as one piece per run of physically
 * contiguous pages (each at most the transport's largest DMA segment), so
 * that queueing it later allocates nothing.
 *
 * Returns: 0; -E2BIG when command, pieces and response make a chain longer
 * than the control queue, which the virtio spec forbids, indirect or not;
 * -ENOMEM.
 */
int virtio_gpu_vbuf_set_data(struct virtio_gpu_device *vgdev,
			     struct virtio_gpu_vbuf *vbuf, const void *data,
			     u32 size, bool owned)
{
	u32 max_seg = min_t(size_t, virtio_max_dma_size(vgdev->vdev), U32_MAX);
	unsigned int n;
	int ret;

	vbuf->data = data;
	vbuf->data_size = size;
	vbuf->data_owned = owned;
	if (!is_vmalloc_addr(data))
		return 0;

	n = virtio_gpu_vmalloc_pieces(data, size, max_seg, NULL);
	if (n + 2 > vgdev->ctrlq_size)
		return -E2BIG;
	ret = sg_alloc_table(&vbuf->data_sgt, n, GFP_KERNEL);
	if (ret)
		return ret;
	virtio_gpu_vmalloc_pieces(data, size, max_seg, vbuf->data_sgt.sgl);
	return 0;
}

/*
 * Adds @vbuf to @q, sleeping while the queue is full. Emits the buffer's
 * fence under the lock, right before the buffer enters the queue.
 */
static int virtio_gpu_queue_vbuf(struct virtio_gpu_device *vgdev,
				 struct virtio_gpu_queue *q,
				 struct virtio_gpu_vbuf *vbuf)
{
	struct scatterlist cmd_sg, data_sg, resp_sg;
	struct scatterlist *sgs[3];
	unsigned int outcnt = 0, incnt, needed, total = 1;
	int ret;

	sg_init_one(&cmd_sg, vbuf->cmd, vbuf->cmd_size);
	sgs[outcnt++] = &cmd_sg;
	if (vbuf->data_size) {
		if (vbuf->data_sgt.sgl) {
			sgs[outcnt++] = vbuf->data_sgt.sgl;
			total += vbuf->data_sgt.nents;
		} else if (!WARN_ON_ONCE(!virt_addr_valid(vbuf->data))) {
			sg_init_one(&data_sg, vbuf->data, vbuf->data_size);
			sgs[outcnt++] = &data_sg;
			total++;
		} else {
			/* Not virtio_gpu_vbuf_set_data()'s: no address to give. */
			ret = -EINVAL;
			goto fail;
		}
	}
	if (vbuf->resp_size) {
		sg_init_one(&resp_sg, vbuf->resp, vbuf->resp_size);
		sgs[outcnt] = &resp_sg;
		total++;
	}
	incnt = vbuf->resp_size ? 1 : 0;
	needed = vgdev->has_indirect ? 1 : total;

	spin_lock_irq(&q->lock);
	for (;;) {
		if (q->dead) {
			ret = -ENODEV;
			/*
			 * The device may not be reset yet, and what a callback
			 * frees (an UNREF's pages) may still be the host's:
			 * the halt ends such a buffer.
			 */
			if (!q->halted && vbuf->resp_cb) {
				list_add_tail(&vbuf->link, &q->refused);
				ret = -EINPROGRESS;
			}
			break;
		}
		/* virtio_gpu_vbuf_set_data() keeps chains within the queue. */
		if (WARN_ON_ONCE(total > virtqueue_get_vring_size(q->vq))) {
			ret = -E2BIG;
			break;
		}
		if (q->vq->num_free >= needed) {
			if (vbuf->fence)
				virtio_gpu_fence_emit(vgdev, vbuf->cmd, vbuf->fence);
			ret = virtqueue_add_sgs(q->vq, sgs, outcnt, incnt, vbuf,
						GFP_ATOMIC);
			if (!ret)
				q->pending++;
			/* On failure the fence already has its id: it must end now. */
			break;
		}

		/* A timeout is about to reset a host that stopped serving. */
		if (q->stopping && vbuf->from_run_job) {
			ret = -ENODEV;
			break;
		}
		/* Full: make sure the host knows what is queued, then wait. */
		if (q->pending) {
			q->pending = 0;
			if (virtqueue_kick_prepare(q->vq))
				virtqueue_notify(q->vq);
			continue;
		}
		spin_unlock_irq(&q->lock);
		wait_event(q->space, READ_ONCE(q->dead) ||
			   (vbuf->from_run_job && READ_ONCE(q->stopping)) ||
			   READ_ONCE(q->vq->num_free) >= needed);
		spin_lock_irq(&q->lock);
	}
	spin_unlock_irq(&q->lock);

fail:
	if (ret && vbuf->fence)
		virtio_gpu_fence_fail(vbuf->fence, ret == -EINPROGRESS ? -ENODEV : ret);
	return ret;
}

/*
 * Notifies under the lock: a reset or removal takes the lock to mark the
 * queue dead before it deletes the virtqueue.
 */
static void virtio_gpu_queue_notify(struct virtio_gpu_queue *q)
{
	spin_lock_irq(&q->lock);
	if (q->pending && !q->dead && virtqueue_kick_prepare(q->vq))
		virtqueue_notify(q->vq);
	q->pending = 0;
	spin_unlock_irq(&q->lock);
}

static int virtio_gpu_queue_on(struct virtio_gpu_device *vgdev,
			       struct virtio_gpu_queue *q,
			       struct virtio_gpu_vbuf *vbuf)
{
	int ret;

	/* The queue owns one reference until the response is handled. */
	kref_get(&vbuf->ref);
	ret = virtio_gpu_queue_vbuf(vgdev, q, vbuf);
	/* Refused until the halt, which ends it. */
	if (ret == -EINPROGRESS)
		return -ENODEV;
	/* Not queued: the buffer ends here, its callback included. */
	if (ret)
		virtio_gpu_vbuf_finish(vgdev, vbuf, ret);
	return ret;
}

/**
 * virtio_gpu_queue_ctrl - queue a command on the control queue
 * @vgdev: the device
 * @vbuf: the command; the caller keeps its own reference
 *
 * Sleeps while the queue is full. The device is not notified until
 * virtio_gpu_notify(). A fence set in &virtio_gpu_vbuf.fence is emitted
 * with the command; when queueing fails it signals with the error.
 *
 * Returns: 0, -ENODEV when the device is gone or being reset (or, for a
 * run_job(), a timeout is about to reset it and the queue is full), -EINVAL
 * for a payload that did not go through virtio_gpu_vbuf_set_data(). The
 * buffer has ended with that error, its callback included, except a
 * buffer with a callback refused while a reset has not yet reset the
 * device: it ends with -ENODEV once the device is reset, so that its
 * callback does not free what the host may still use.
 */
int virtio_gpu_queue_ctrl(struct virtio_gpu_device *vgdev,
			  struct virtio_gpu_vbuf *vbuf)
{
	return virtio_gpu_queue_on(vgdev, &vgdev->ctrlq, vbuf);
}

/**
 * virtio_gpu_queue_cursor - queue a command on the cursor queue
 * @vgdev: the device
 * @vbuf: the command; the caller keeps its own reference
 *
 * The device never answers cursor commands: any response room of @vbuf is
 * left unused, and the command is done when the device returns it.
 *
 * Returns: 0, or -ENODEV when the device is gone.
 */
int virtio_gpu_queue_cursor(struct virtio_gpu_device *vgdev,
			    struct virtio_gpu_vbuf *vbuf)
{
	int ret;

	vbuf->resp_size = 0;
	ret = virtio_gpu_queue_on(vgdev, &vgdev->cursorq, vbuf);

	if (!ret)
		virtio_gpu_queue_notify(&vgdev->cursorq);
	return ret;
}

/**
 * virtio_gpu_notify - tell the device about the commands queued so far
 * @vgdev: the device
 */
void virtio_gpu_notify(struct virtio_gpu_device *vgdev)
{
	virtio_gpu_queue_notify(&vgdev->ctrlq);
}

/**
 * virtio_gpu_cmd_queue - queue a command with an optional fence, without
 * notifying
 * @vgdev: the device
 * @vbuf: the command; the caller's reference is dropped, whatever this
 * returns
 * @fence: fence emitted with the command, or NULL; the command takes a
 * reference of its own
 *
 * For a batch of commands, the last of which goes through
 * virtio_gpu_cmd_send() or is followed by virtio_gpu_notify(). Queueing
 * is as virtio_gpu_queue_ctrl(): on failure @fence signals with the error
 * and the command's callback has run, or runs once a reset in progress
 * has reset the device.
 *
 * Returns: 0, or the error of virtio_gpu_queue_ctrl().
 */
int virtio_gpu_cmd_queue(struct virtio_gpu_device *vgdev,
			 struct virtio_gpu_vbuf *vbuf,
			 struct virtio_gpu_fence *fence)
{
	int ret;

	if (fence) {
		dma_fence_get(&fence->base);
		vbuf->fence = fence;
	}
	ret = virtio_gpu_queue_ctrl(vgdev, vbuf);
	virtio_gpu_vbuf_put(vbuf);
	return ret;
}

/**
 * virtio_gpu_cmd_send - queue a command with an optional fence and notify
 * @vgdev: the device
 * @vbuf: the command; the caller's reference is dropped, whatever this
 * returns
 * @fence: fence emitted with the command, or NULL; the command takes a
 * reference of its own
 *
 * virtio_gpu_cmd_queue(), then virtio_gpu_notify() when the command was
 * queued. Does not wait for the host: a caller that reads the response
 * keeps its reference and uses virtio_gpu_cmd_sync() instead.
 *
 * Returns: 0, or the error of virtio_gpu_queue_ctrl().
 */
int virtio_gpu_cmd_send(struct virtio_gpu_device *vgdev,
			struct virtio_gpu_vbuf *vbuf,
			struct virtio_gpu_fence *fence)
{
	int ret = virtio_gpu_cmd_queue(vgdev, vbuf, fence);

	if (!ret)
		virtio_gpu_notify(vgdev);
	return ret;
}

/**
 * virtio_gpu_wait_vbuf - wait for a queued command's response
 * @vbuf: the command
 * @timeout: jiffies
 *
 * Returns: the command's result (0 or a negative errno), or -ETIMEDOUT.
 */
int virtio_gpu_wait_vbuf(struct virtio_gpu_vbuf *vbuf, long timeout)
{
	if (!wait_for_completion_timeout(&vbuf->done, timeout))
		return -ETIMEDOUT;
	return vbuf->error;
}

/**
 * virtio_gpu_cmd_sync - queue a command, notify and wait for its response
 * @vgdev: the device
 * @vbuf: the command; the caller keeps its reference and reads the
 * response afterwards
 *
 * Waits first for a device reset in progress.
 *
 * Returns: the command's result, -ENODEV, -ERESTARTSYS, or -ETIMEDOUT when
 * the host did not answer within five seconds (the buffer stays with the
 * queue).
 */
int virtio_gpu_cmd_sync(struct virtio_gpu_device *vgdev,
			struct virtio_gpu_vbuf *vbuf)
{
	int ret = virtio_gpu_reset_wait(vgdev);

	if (!ret)
		ret = virtio_gpu_queue_ctrl(vgdev, vbuf);
	if (ret)
		return ret;
	virtio_gpu_notify(vgdev);
	return virtio_gpu_wait_vbuf(vbuf, VIRTIO_GPU_CMD_TIMEOUT);
}

/* Stops a queue: nothing more is added, sleepers are woken. Lock held. */
static void virtio_gpu_queue_kill(struct virtio_gpu_queue *q)
{
	spin_lock_irq(&q->lock);
	q->dead = true;
	q->pending = 0;
	spin_unlock_irq(&q->lock);
	wake_up_all(&q->space);
}

/* Moves every buffer of a dead @q, answered or not, to @halted. */
static void virtio_gpu_queue_take_all(struct virtio_gpu_queue *q,
				      struct virtio_gpu_halted *halted)
{
	struct virtio_gpu_vbuf *vbuf;
	unsigned int len;

	spin_lock_irq(&q->lock);
	while ((vbuf = virtqueue_get_buf(q->vq, &len))) {
		vbuf->resp_len = len;
		list_add_tail(&vbuf->link, &halted->answered);
	}
	while ((vbuf = virtqueue_detach_unused_buf(q->vq)))
		list_add_tail(&vbuf->link, &halted->lost);
	list_splice_tail_init(&q->refused, &halted->lost);
	q->halted = true;
	spin_unlock_irq(&q->lock);
}

/**
 * virtio_gpu_ctrl_stop_if_hung - stop waiting for a host that stopped
 * serving
 * @vgdev: the device
 * @fence: the hardware fence of the job that timed out
 *
 * For a timeout handler. When @fence has signalled, or a reset in progress
 * is about to end it, the job is not hung. Otherwise the reset comes next,
 * and a run_job() waiting for room on the control queue would hold it up:
 * the timeout handler's drm_sched_stop() waits for that run_job(). From
 * here until the reset brings the queue back, a run_job() that would have
 * to wait gives up with -ENODEV instead. Other submitters keep waiting:
 * the reset ends their wait. Takes only the queue's spinlock, so that the
 * timeout handler never waits for a reset, which allocates.
 *
 * Returns: true when the job is hung and the queue now refuses run_job()s
 * that would wait.
 */
bool virtio_gpu_ctrl_stop_if_hung(struct virtio_gpu_device *vgdev,
				  struct dma_fence *fence)
{
	struct virtio_gpu_queue *q = &vgdev->ctrlq;
	bool hung;

	spin_lock_irq(&q->lock);
	hung = !q->dead && !test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags);
	if (hung)
		q->stopping = true;
	spin_unlock_irq(&q->lock);
	if (hung)
		wake_up_all(&q->space);
	return hung;
}

/**
 * virtio_gpu_halted_init - an empty &struct virtio_gpu_halted
 * @halted: the lists to initialise
 */
void virtio_gpu_halted_init(struct virtio_gpu_halted *halted)
{
	INIT_LIST_HEAD(&halted->answered);
	INIT_LIST_HEAD(&halted->lost);
}

/**
 * virtio_gpu_queues_halt - stop the device and take every buffer back
 * @vgdev: the device, with live virtqueues
 * @halted: gets the buffers, initialised by virtio_gpu_halted_init()
 *
 * Marks both queues dead, which wakes their sleepers, resets the device and
 * waits for the dequeue workers. From here on the host reads and writes no
 * guest memory. Buffers the host had answered keep their answer; the
 * others are lost. No fence is signalled and no buffer ended yet: see
 * virtio_gpu_queues_end_fences() and virtio_gpu_queues_finish(). The
 * virtqueues remain allocated.
 */
void virtio_gpu_queues_halt(struct virtio_gpu_device *vgdev,
			    struct virtio_gpu_halted *halted)
{
	virtio_gpu_queue_kill(&vgdev->ctrlq);
	virtio_gpu_queue_kill(&vgdev->cursorq);

	virtio_reset_device(vgdev->vdev);

	cancel_work_sync(&vgdev->ctrlq.dequeue);
	cancel_work_sync(&vgdev->cursorq.dequeue);
	virtio_gpu_queue_take_all(&vgdev->ctrlq, halted);
	virtio_gpu_queue_take_all(&vgdev->cursorq, halted);
}

/**
 * virtio_gpu_queues_end_fences - signal every fence of a halted device
 * @vgdev: the device, halted by virtio_gpu_queues_halt()
 * @halted: what the halt took back
 *
 * An answer the host gave before the halt still counts: its fence
 * completes as it would have. Every other pending fence of the device
 * signals with -ENODEV. Allocates nothing, waits for nothing and takes no
 * lock of a buffer's owner, so it may run where fences wait for it.
 */
void virtio_gpu_queues_end_fences(struct virtio_gpu_device *vgdev,
				  struct virtio_gpu_halted *halted)
{
	struct virtio_gpu_vbuf *vbuf;

	list_for_each_entry(vbuf, &halted->answered, link)
		vbuf->error = virtio_gpu_resp_check(vgdev, vbuf);
	virtio_gpu_fence_cancel_all(vgdev, -ENODEV);
}

/**
 * virtio_gpu_queues_finish - end the buffers of a halted device
 * @vgdev: the device
 * @halted: what the halt took back, fences ended
 *
 * Each answered buffer ends with its result, each lost one with -ENODEV:
 * callbacks run, synchronous waiters wake, the queue's references go.
 */
void virtio_gpu_queues_finish(struct virtio_gpu_device *vgdev,
			      struct virtio_gpu_halted *halted)
{
	struct virtio_gpu_vbuf *vbuf, *next;

	list_for_each_entry_safe(vbuf, next, &halted->answered, link) {
		list_del_init(&vbuf->link);
		virtio_gpu_vbuf_finish(vgdev, vbuf, vbuf->error);
	}
	list_for_each_entry_safe(vbuf, next, &halted->lost, link) {
		list_del_init(&vbuf->link);
		virtio_gpu_vbuf_finish(vgdev, vbuf, -ENODEV);
	}
}

/**
 * virtio_gpu_queues_revive - accept commands again
 * @vgdev: the device, with fresh virtqueues
 */
void virtio_gpu_queues_revive(struct virtio_gpu_device *vgdev)
{
	spin_lock_irq(&vgdev->ctrlq.lock);
	vgdev->ctrlq.dead = false;
	vgdev->ctrlq.halted = false;
	vgdev->ctrlq.stopping = false;
	vgdev->ctrlq_size = virtqueue_get_vring_size(vgdev->ctrlq.vq);
	spin_unlock_irq(&vgdev->ctrlq.lock);
	spin_lock_irq(&vgdev->cursorq.lock);
	vgdev->cursorq.dead = false;
	vgdev->cursorq.halted = false;
	spin_unlock_irq(&vgdev->cursorq.lock);
}

/**
 * virtio_gpu_cmd_ctx_create - create a 3D context on the host
 * @vgdev: the device
 * @ctx_id: the context id
 * @context_init: capset id and flags of VIRTIO_GPU_F_CONTEXT_INIT, or 0
 * @name: debug name, may be NULL; at most 63 bytes are sent
 * @fence: optional fence emitted with the command
 *
 * Does not wait for the host.
 *
 * Returns: 0, -ENOMEM or -ENODEV.
 */
int virtio_gpu_cmd_ctx_create(struct virtio_gpu_device *vgdev, u32 ctx_id,
			      u32 context_init, const char *name,
			      struct virtio_gpu_fence *fence)
{
	struct virtio_gpu_ctx_create *cmd;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_CTX_CREATE, ctx_id, sizeof(*cmd),
				  sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf)
		return -ENOMEM;
	cmd = vbuf->cmd;
	cmd->context_init = cpu_to_le32(context_init);
	if (name) {
		strscpy(cmd->debug_name, name, sizeof(cmd->debug_name));
		cmd->nlen = cpu_to_le32(strlen(cmd->debug_name));
	}
	return virtio_gpu_cmd_send(vgdev, vbuf, fence);
}

/**
 * virtio_gpu_cmd_ctx_destroy - destroy a 3D context on the host
 * @vgdev: the device
 * @ctx_id: the context id
 *
 * Returns: 0, -ENOMEM or -ENODEV.
 */
int virtio_gpu_cmd_ctx_destroy(struct virtio_gpu_device *vgdev, u32 ctx_id)
{
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_CTX_DESTROY, ctx_id,
				  sizeof(struct virtio_gpu_ctx_destroy),
				  sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf)
		return -ENOMEM;
	return virtio_gpu_cmd_send(vgdev, vbuf, NULL);
}

/**
 * virtio_gpu_cmd_submit_3d - send a command stream to a 3D context
 * @vgdev: the device
 * @ctx_id: the context id
 * @data: the command stream; copied, the caller keeps it
 * @size: bytes in @data
 * @fence: optional fence emitted with the command
 *
 * Returns: 0, -ENOMEM, -E2BIG (see virtio_gpu_vbuf_set_data()) or -ENODEV.
 */
int virtio_gpu_cmd_submit_3d(struct virtio_gpu_device *vgdev, u32 ctx_id,
			     const void *data, u32 size,
			     struct virtio_gpu_fence *fence)
{
	struct virtio_gpu_cmd_submit *cmd;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_SUBMIT_3D, ctx_id, sizeof(*cmd),
				  sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf)
		return -ENOMEM;
	cmd = vbuf->cmd;
	cmd->size = cpu_to_le32(size);
	/* The host reads the stream after we return: it lives with the buffer. */
	if (size) {
		void *copy = kvmemdup(data, size, GFP_KERNEL);
		int ret = copy ? virtio_gpu_vbuf_set_data(vgdev, vbuf, copy, size, true) :
				 -ENOMEM;

		if (ret) {
			virtio_gpu_vbuf_put(vbuf);
			return ret;
		}
	}
	return virtio_gpu_cmd_send(vgdev, vbuf, fence);
}
