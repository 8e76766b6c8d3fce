// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Submission
 *
 * DRM_IOCTL_VIRTGPU_EXECBUFFER turns a command stream into a scheduler job
 * and never waits::
 *
 *   ioctl ----> drm_sched_job: in-fence fd, in-syncobjs and the BOs'
 *     |         reservations become dependencies (BOs locked with drm_exec)
 *     |  arm, finished fence into the BOs, the out-fence fd and syncobjs
 *     v
 *   entity of the ring (or of the global timeline) -- push
 *     |  last dependency signals
 *     v
 *   run_job: SUBMIT_3D on the control virtqueue, tagged with the ring's
 *     |      fence id (FLAG_FENCE, FLAG_INFO_RING_IDX, ring_idx)
 *     v
 *   host completes the ring up to that id -> virtio fence signals
 *     -> finished fence signals -> sync_file, syncobjs, BO waiters,
 *        and a VIRTGPU_EVENT_FENCE_SIGNALED event for polled rings
 *
 * The job lives here from allocation to free: run_job, timedout_job and
 * free_job are this file's, and a job ends through one function whether it
 * was pushed or not.
 *
 * Everything that can fail is done before the job is armed; after that the
 * job is pushed whatever happens, and only making the out-fence fd can
 * still fail (-ENOMEM, the job runs anyway), as with the base driver.
 */

#include <linux/file.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <drm/virtgpu_drm.h>

#include "virtgpu_drv.h"

/* The part of struct drm_virtgpu_execbuffer_syncobj a stride must cover. */
#define VIRTIO_GPU_SYNCOBJ_MIN_STRIDE \
	offsetofend(struct drm_virtgpu_execbuffer_syncobj, flags)

struct virtio_gpu_event {
	struct drm_pending_event base;
	struct drm_event event;
	struct dma_fence_cb cb;
	struct drm_device *dev;
};

struct virtio_gpu_post_syncobj {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

struct virtio_gpu_submit {
	struct drm_device *dev;
	struct drm_file *file;
	struct virtio_gpu_device *vgdev;
	struct virtio_gpu_fpriv *vfpriv;
	struct drm_virtgpu_execbuffer *args;
	bool ring;

	struct virtio_gpu_job *job;
	struct drm_gem_object **bos;
	struct drm_syncobj **reset;
	u32 num_reset;
	struct virtio_gpu_post_syncobj *post;
	u32 num_post;
	int out_fd;
	struct virtio_gpu_event *event;
};

/* ---- the job: made here, run and freed by the scheduler ---- */

static struct virtio_gpu_job *to_virtio_gpu_job(struct drm_sched_job *job)
{
	return container_of(job, struct virtio_gpu_job, base);
}

/* The one way a job ends, pushed or not, once drm_sched_job_init() took it. */
static void virtio_gpu_job_free(struct virtio_gpu_job *job)
{
	drm_sched_job_cleanup(&job->base);
	if (job->vbuf)
		virtio_gpu_vbuf_put(job->vbuf);
	virtio_gpu_fence_put(job->hw_fence);
	kfree(job);
}

static struct dma_fence *virtio_gpu_run_job(struct drm_sched_job *sched_job)
{
	struct virtio_gpu_job *job = to_virtio_gpu_job(sched_job);
	struct virtio_gpu_device *vgdev = job->vgdev;
	int error = sched_job->s_fence->finished.error;

	/* Cancelled before it ran: nothing goes to the host. */
	if (error)
		return ERR_PTR(error);
	/* Written for a host context that a reset has lost since. */
	if (job->generation != (u32)atomic_read(&vgdev->generation))
		return ERR_PTR(-ECANCELED);

	/* A failure to queue signals the fence with the error. */
	if (!virtio_gpu_queue_ctrl(vgdev, job->vbuf))
		virtio_gpu_notify(vgdev);
	return dma_fence_get(&job->hw_fence->base);
}

/*
 * Runs outside the scheduler's fence signalling sections, but the reset's
 * second half, which allocates virtqueues, must not hold it up: stop the
 * scheduler here and leave the reset, and the restart, to a work item.
 */
static enum drm_gpu_sched_stat virtio_gpu_timedout_job(struct drm_sched_job *sched_job)
{
	struct virtio_gpu_job *job = to_virtio_gpu_job(sched_job);
	struct drm_gpu_scheduler *sched = sched_job->sched;
	struct virtio_gpu_device *vgdev = job->vgdev;

	/*
	 * The host finished the job meanwhile, or a reset in progress ends
	 * it: a late timer, not a hang. Otherwise a run_job() waiting for
	 * room on the wedged queue gives up first, or drm_sched_stop() would
	 * wait for it forever.
	 */
	if (!virtio_gpu_ctrl_stop_if_hung(vgdev, &job->hw_fence->base))
		return DRM_GPU_SCHED_STAT_NO_HANG;

	drm_warn(&vgdev->ddev, "%s: job %llu timed out, resetting the device\n",
		 sched->name, sched_job->id);

	drm_sched_stop(sched, sched_job);
	if (!dma_fence_is_signaled(&sched_job->s_fence->finished) &&
	    !sched_job->s_fence->finished.error)
		dma_fence_set_error(&sched_job->s_fence->finished, -ETIMEDOUT);

	virtio_gpu_reset_after_timeout(vgdev, sched);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void virtio_gpu_free_job(struct drm_sched_job *sched_job)
{
	virtio_gpu_job_free(to_virtio_gpu_job(sched_job));
}

/* The scheduler backend of every virtio-gpu scheduler. */
const struct drm_sched_backend_ops virtio_gpu_sched_ops = {
	.run_job = virtio_gpu_run_job,
	.timedout_job = virtio_gpu_timedout_job,
	.free_job = virtio_gpu_free_job,
};

/* ---- EXECBUFFER ---- */

static void virtio_gpu_event_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct virtio_gpu_event *e = container_of(cb, struct virtio_gpu_event, cb);

	drm_send_event(e->dev, &e->base);
}

static int virtio_gpu_submit_job(struct virtio_gpu_submit *s)
{
	struct drm_virtgpu_execbuffer *args = s->args;
	struct virtio_gpu_device *vgdev = s->vgdev;
	struct drm_sched_entity *entity;
	struct virtio_gpu_cmd_submit *cmd;
	struct virtio_gpu_job *job;
	void *stream;
	int ret;

	entity = virtio_gpu_entity(s->vfpriv, s->ring, args->ring_idx);
	if (IS_ERR(entity))
		return PTR_ERR(entity);

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->vgdev = vgdev;

	ret = drm_sched_job_init(&job->base, entity, 1, s->vfpriv, s->file->client_id);
	if (ret) {
		kfree(job);
		return ret;
	}
	s->job = job;

	stream = kvmalloc(max_t(u32, args->size, 1), GFP_KERNEL | __GFP_NOWARN);
	if (!stream)
		return -ENOMEM;
	if (copy_from_user(stream, u64_to_user_ptr(args->command), args->size)) {
		kvfree(stream);
		return -EFAULT;
	}

	job->vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_SUBMIT_3D, s->vfpriv->ctx_id,
				       sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	if (!job->vbuf) {
		kvfree(stream);
		return -ENOMEM;
	}
	ret = virtio_gpu_vbuf_set_data(vgdev, job->vbuf, stream, args->size, true);
	if (ret)
		return ret;
	cmd = job->vbuf->cmd;
	cmd->size = cpu_to_le32(args->size);

	job->hw_fence = virtio_gpu_fence_alloc(vgdev, s->ring ? s->vfpriv->ctx_id : 0,
					       s->ring ? args->ring_idx : 0);
	if (IS_ERR(job->hw_fence)) {
		ret = PTR_ERR(job->hw_fence);
		job->hw_fence = NULL;
		return ret;
	}
	dma_fence_get(&job->hw_fence->base);
	job->vbuf->fence = job->hw_fence;
	job->vbuf->from_run_job = true;
	return 0;
}

static int virtio_gpu_copy_syncobj(const struct drm_virtgpu_execbuffer *args,
				   u64 base, u32 i,
				   struct drm_virtgpu_execbuffer_syncobj *desc)
{
	memset(desc, 0, sizeof(*desc));
	if (copy_from_user(desc, u64_to_user_ptr(base + (u64)i * args->syncobj_stride),
			   min_t(u32, args->syncobj_stride, sizeof(*desc))))
		return -EFAULT;
	return 0;
}

static int virtio_gpu_in_deps(struct virtio_gpu_submit *s)
{
	struct drm_virtgpu_execbuffer *args = s->args;
	struct drm_virtgpu_execbuffer_syncobj desc;
	struct drm_sched_job *job = &s->job->base;
	struct dma_fence *in;
	u32 i;
	int ret;

	if (args->flags & VIRTGPU_EXECBUF_FENCE_FD_IN) {
		in = sync_file_get_fence(args->fence_fd);

		if (!in)
			return -EINVAL;
		ret = drm_sched_job_add_dependency(job, in);
		if (ret)
			return ret;
	}

	if (!args->num_in_syncobjs)
		return 0;
	s->reset = kvcalloc(args->num_in_syncobjs, sizeof(*s->reset),
			    GFP_KERNEL | __GFP_NOWARN);
	if (!s->reset)
		return -ENOMEM;

	for (i = 0; i < args->num_in_syncobjs; i++) {
		ret = virtio_gpu_copy_syncobj(args, args->in_syncobjs, i, &desc);
		if (ret)
			return ret;
		if (desc.flags & ~VIRTGPU_EXECBUF_SYNCOBJ_FLAGS)
			return -EINVAL;
		/* Timeline points are 64-bit in the UAPI: look the fence up here. */
		ret = drm_syncobj_find_fence(s->file, desc.handle, desc.point, 0, &in);
		if (!ret)
			ret = drm_sched_job_add_dependency(job, in);
		if (ret)
			return ret;
		if (desc.flags & VIRTGPU_EXECBUF_SYNCOBJ_RESET) {
			s->reset[s->num_reset] = drm_syncobj_find(s->file, desc.handle);
			if (!s->reset[s->num_reset])
				return -EINVAL;
			s->num_reset++;
		}
	}
	return 0;
}

static int virtio_gpu_out_syncobjs(struct virtio_gpu_submit *s)
{
	struct drm_virtgpu_execbuffer *args = s->args;
	struct drm_virtgpu_execbuffer_syncobj desc;
	u32 i;
	int ret;

	if (!args->num_out_syncobjs)
		return 0;
	s->post = kvcalloc(args->num_out_syncobjs, sizeof(*s->post),
			   GFP_KERNEL | __GFP_NOWARN);
	if (!s->post)
		return -ENOMEM;

	for (i = 0; i < args->num_out_syncobjs; i++) {
		struct virtio_gpu_post_syncobj *post = &s->post[i];

		ret = virtio_gpu_copy_syncobj(args, args->out_syncobjs, i, &desc);
		if (ret)
			return ret;
		if (desc.flags)
			return -EINVAL;
		post->syncobj = drm_syncobj_find(s->file, desc.handle);
		if (!post->syncobj)
			return -EINVAL;
		s->num_post++;
		post->point = desc.point;
		if (desc.point) {
			post->chain = dma_fence_chain_alloc();
			if (!post->chain)
				return -ENOMEM;
		}
	}
	return 0;
}

static int virtio_gpu_prepare_event(struct virtio_gpu_submit *s)
{
	struct virtio_gpu_event *e;
	int ret;

	if (!s->ring || !(s->vfpriv->poll_rings_mask & BIT_ULL(s->args->ring_idx)))
		return 0;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->event.type = VIRTGPU_EVENT_FENCE_SIGNALED;
	e->event.length = sizeof(e->event);
	e->dev = s->dev;
	ret = drm_event_reserve_init(s->dev, s->file, &e->base, &e->event);
	if (ret) {
		kfree(e);
		return ret;
	}
	s->event = e;
	return 0;
}

/* Locks the BOs and makes the job wait for their previous users. */
static int virtio_gpu_lock_bos(struct virtio_gpu_submit *s, struct drm_exec *exec)
{
	u32 i, n = s->args->num_bo_handles;
	int ret = 0;

	drm_exec_until_all_locked(exec) {
		for (i = 0; i < n; i++) {
			ret = drm_exec_prepare_obj(exec, s->bos[i], 1);
			drm_exec_retry_on_contention(exec);
			if (ret)
				return ret;
		}
	}

	for (i = 0; i < n; i++) {
		ret = drm_sched_job_add_implicit_dependencies(&s->job->base, s->bos[i],
							      true);
		if (ret)
			return ret;
	}
	return 0;
}

static int virtio_gpu_check_args(struct virtio_gpu_device *vgdev,
				 struct virtio_gpu_fpriv *vfpriv,
				 const struct drm_virtgpu_execbuffer *args)
{
	if (!vgdev->has_virgl_3d)
		return -ENOSYS;
	if (args->flags & ~VIRTGPU_EXECBUF_FLAGS)
		return -EINVAL;
	if ((args->flags & VIRTGPU_EXECBUF_RING_IDX) &&
	    (!vfpriv->context_init || args->ring_idx >= vfpriv->num_rings))
		return -EINVAL;
	if ((args->num_in_syncobjs || args->num_out_syncobjs) &&
	    args->syncobj_stride < VIRTIO_GPU_SYNCOBJ_MIN_STRIDE)
		return -EINVAL;
	return 0;
}

/* Hands the fences to whoever asked for them. Cannot fail. */
static void virtio_gpu_publish(struct virtio_gpu_submit *s, struct dma_fence *done,
			       struct sync_file *sync_file)
{
	u32 i;

	for (i = 0; i < s->num_post; i++) {
		struct virtio_gpu_post_syncobj *post = &s->post[i];

		if (post->chain) {
			drm_syncobj_add_point(post->syncobj, post->chain, done,
					      post->point);
			post->chain = NULL;
		} else {
			drm_syncobj_replace_fence(post->syncobj, done);
		}
	}
	for (i = 0; i < s->num_reset; i++)
		drm_syncobj_replace_fence(s->reset[i], NULL);

	if (s->event) {
		if (dma_fence_add_callback(done, &s->event->cb, virtio_gpu_event_cb))
			drm_send_event(s->dev, &s->event->base);
		s->event = NULL;
	}

	if (sync_file) {
		fd_install(s->out_fd, sync_file->file);
		s->args->fence_fd = s->out_fd;
		s->out_fd = -1;
	}
}

static void virtio_gpu_submit_cleanup(struct virtio_gpu_submit *s)
{
	u32 i;

	if (s->out_fd >= 0)
		put_unused_fd(s->out_fd);
	if (s->event)
		drm_event_cancel_free(s->dev, &s->event->base);
	for (i = 0; i < s->num_post; i++) {
		dma_fence_chain_free(s->post[i].chain);
		drm_syncobj_put(s->post[i].syncobj);
	}
	kvfree(s->post);
	for (i = 0; i < s->num_reset; i++)
		drm_syncobj_put(s->reset[i]);
	kvfree(s->reset);
	if (s->bos) {
		for (i = 0; i < s->args->num_bo_handles; i++)
			drm_gem_object_put(s->bos[i]);
		kvfree(s->bos);
	}
	/* Not pushed: the job is ours to free. */
	if (s->job)
		virtio_gpu_job_free(s->job);
}

/**
 * virtio_gpu_execbuffer_ioctl - DRM_IOCTL_VIRTGPU_EXECBUFFER
 * @dev: the DRM device
 * @data: &struct drm_virtgpu_execbuffer
 * @file: the submitting file
 *
 * Returns: 0; -ENOSYS without 3D; -EINVAL for bad flags, ring, stride,
 * in-fence fd, syncobj flags or out-syncobj; -ENOENT for a bad BO or
 * in-syncobj handle; -EFAULT for bad pointers; -ENOMEM; -ENODEV when the
 * device is gone; -ERESTARTSYS when interrupted while locking BOs.
 */
int virtio_gpu_execbuffer_ioctl(struct drm_device *dev, void *data,
				struct drm_file *file)
{
	struct virtio_gpu_submit s = {
		.dev = dev,
		.file = file,
		.vgdev = to_virtio_gpu(dev),
		.vfpriv = file->driver_priv,
		.args = data,
		.out_fd = -1,
	};
	struct drm_virtgpu_execbuffer *args = data;
	struct sync_file *sync_file = NULL;
	struct dma_fence *done;
	struct drm_exec exec;
	int ret;

	ret = virtio_gpu_check_args(s.vgdev, s.vfpriv, args);
	if (ret)
		return ret;
	s.ring = args->flags & VIRTGPU_EXECBUF_RING_IDX;

	ret = virtio_gpu_context_ensure(s.vfpriv);
	if (ret)
		return ret;

	ret = virtio_gpu_submit_job(&s);
	if (!ret)
		ret = virtio_gpu_in_deps(&s);
	if (!ret)
		ret = virtio_gpu_out_syncobjs(&s);
	if (!ret)
		ret = virtio_gpu_prepare_event(&s);
	if (!ret && (args->flags & VIRTGPU_EXECBUF_FENCE_FD_OUT)) {
		s.out_fd = get_unused_fd_flags(O_CLOEXEC);
		if (s.out_fd < 0)
			ret = s.out_fd;
	}
	/*
	 * User-sized arrays fail with -ENOMEM, never with the allocator's
	 * warning; the core's lookup allocates without __GFP_NOWARN.
	 */
	if (!ret && (u64)args->num_bo_handles * sizeof(*s.bos) > INT_MAX)
		ret = -ENOMEM;
	if (!ret && args->num_bo_handles)
		ret = drm_gem_objects_lookup(file, u64_to_user_ptr(args->bo_handles),
					     args->num_bo_handles, &s.bos);
	for (u32 i = 0; !ret && i < args->num_bo_handles; i++)
		ret = virtio_gpu_object_lost(to_virtio_gpu_obj(s.bos[i]));
	if (ret)
		goto out;

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT, args->num_bo_handles);
	ret = virtio_gpu_lock_bos(&s, &exec);
	if (ret) {
		drm_exec_fini(&exec);
		goto out;
	}

	/* Point of no return. Arm and push in order for the file's entities. */
	mutex_lock(&s.vfpriv->lock);
	s.job->generation = s.vfpriv->created_generation;
	drm_sched_job_arm(&s.job->base);
	done = dma_fence_get(&s.job->base.s_fence->finished);
	for (u32 i = 0; i < args->num_bo_handles; i++)
		dma_resv_add_fence(s.bos[i]->resv, done, DMA_RESV_USAGE_WRITE);
	drm_sched_entity_push_job(&s.job->base);
	mutex_unlock(&s.vfpriv->lock);
	drm_exec_fini(&exec);
	s.job = NULL;

	if (s.out_fd >= 0) {
		sync_file = sync_file_create(done);
		if (!sync_file)
			ret = -ENOMEM;
	}
	virtio_gpu_publish(&s, done, sync_file);
	dma_fence_put(done);
out:
	virtio_gpu_submit_cleanup(&s);
	return ret;
}
