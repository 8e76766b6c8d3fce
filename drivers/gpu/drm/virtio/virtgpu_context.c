// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Contexts and schedulers
 *
 * Every open file is one host 3D context. The host context is created the
 * first time the file needs it (a 3D resource, a transfer, a submission),
 * or at once by DRM_IOCTL_VIRTGPU_CONTEXT_INIT, which can also choose a
 * capset and a number of rings.
 *
 * Submissions run through the DRM GPU scheduler, one scheduler per fence
 * timeline: the device has one for the global timeline, shared by every
 * file through an entity per file, and each ring of an initialised context
 * has its own scheduler with the file's one entity on it. The hardware
 * fence of a job is the virtio fence of its SUBMIT_3D, on the timeline of
 * its scheduler, so jobs of one ring complete in order and rings are
 * independent of each other.
 *
 * Jobs themselves, their backend operations and the timeout handler live
 * in virtgpu_submit.c; a timeout resets the device (virtgpu_reset.c). Host
 * contexts are lost in a reset; each file creates its context again the
 * next time it needs it.
 */

#include <linux/sched.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "virtgpu_drv.h"

/* Jobs a ring keeps on the host at once. */
#define VIRTIO_GPU_RING_CREDITS	64

/*
 * Every scheduler of the device has a single run queue: a ring's scheduler
 * serves the ring's one entity, the global scheduler the entities of all
 * files alike. Entities therefore take the priority of that queue, index 0
 * (DRM_SCHED_PRIORITY_KERNEL), as other one-queue drivers do; asking for
 * DRM_SCHED_PRIORITY_NORMAL would only get them lowered to it, with an
 * error in the log.
 */
#define VIRTIO_GPU_SCHED_RQS		1
#define VIRTIO_GPU_ENTITY_PRIORITY	DRM_SCHED_PRIORITY_KERNEL

static int virtio_gpu_sched_setup(struct virtio_gpu_device *vgdev,
				  struct drm_gpu_scheduler *sched,
				  const char *name)
{
	const struct drm_sched_init_args args = {
		.ops = &virtio_gpu_sched_ops,
		.submit_wq = vgdev->sched_wq,
		.num_rqs = VIRTIO_GPU_SCHED_RQS,
		.credit_limit = VIRTIO_GPU_RING_CREDITS,
		.timeout = vgdev->job_timeout,
		.name = name,
		.dev = vgdev->ddev.dev,
	};

	return drm_sched_init(sched, &args);
}

/**
 * virtio_gpu_sched_init - set up the device's global scheduler
 * @vgdev: the device
 *
 * Returns: 0 or an errno.
 */
int virtio_gpu_sched_init(struct virtio_gpu_device *vgdev)
{
	int ret;

	vgdev->sched_wq = alloc_ordered_workqueue("virtio-gpu-sched", WQ_MEM_RECLAIM);
	if (!vgdev->sched_wq)
		return -ENOMEM;

	/* The workqueue lives until the DRM device is released. */
	ret = virtio_gpu_sched_setup(vgdev, &vgdev->global_sched, "virtio_gpu-global");
	if (ret)
		return ret;
	vgdev->global_sched_ready = true;
	return 0;
}

/**
 * virtio_gpu_sched_fini - tear the global scheduler down
 * @vgdev: the device
 *
 * Jobs still queued or running are cancelled. Entities of open files stay
 * valid but take no more jobs.
 */
void virtio_gpu_sched_fini(struct virtio_gpu_device *vgdev)
{
	if (vgdev->global_sched_ready) {
		drm_sched_fini(&vgdev->global_sched);
		vgdev->global_sched_ready = false;
	}
}

/* Creates the host context if this generation of the device lacks it. */
static int virtio_gpu_context_create_locked(struct virtio_gpu_fpriv *vfpriv)
{
	struct virtio_gpu_device *vgdev = vfpriv->vgdev;
	u32 generation = atomic_read(&vgdev->generation);
	char comm[TASK_COMM_LEN];
	const char *name;
	int ret;

	lockdep_assert_held(&vfpriv->lock);

	if (vfpriv->created_generation == generation)
		return 0;

	if (vfpriv->explicit_name) {
		name = vfpriv->debug_name;
	} else {
		get_task_comm(comm, current);
		name = comm;
	}
	ret = virtio_gpu_cmd_ctx_create(vgdev, vfpriv->ctx_id, vfpriv->capset_id,
					name, NULL);
	if (!ret)
		vfpriv->created_generation = generation;
	return ret;
}

/**
 * virtio_gpu_context_ensure - make sure the file's host context exists
 * @vfpriv: the file
 *
 * Waits first for a device reset in progress, after which the context is
 * created anew.
 *
 * Returns: 0, -ERESTARTSYS, or the error of sending CTX_CREATE.
 */
int virtio_gpu_context_ensure(struct virtio_gpu_fpriv *vfpriv)
{
	int ret = virtio_gpu_reset_wait(vfpriv->vgdev);

	if (ret)
		return ret;
	mutex_lock(&vfpriv->lock);
	ret = virtio_gpu_context_create_locked(vfpriv);
	mutex_unlock(&vfpriv->lock);
	return ret;
}

static void virtio_gpu_entity_drain(struct drm_sched_entity *entity,
				    struct drm_gpu_scheduler *sched)
{
	/* Give queued work a moment; what is left is cancelled. */
	if (sched->ready)
		wait_event_timeout(sched->job_scheduled,
				   !spsc_queue_count(&entity->job_queue), HZ);
	drm_sched_entity_fini(entity);
}

/*
 * Tears the rings down without ending a fence early. Jobs still queued
 * never reached the host and are cancelled. Jobs the host has must end
 * there first: the host may still write their buffers, and a fence that
 * signals means nobody does. They end when the host completes them, or
 * when a timeout resets the device, which the rings still take part in
 * until then.
 */
static void virtio_gpu_rings_teardown(struct virtio_gpu_fpriv *vfpriv)
{
	struct virtio_gpu_device *vgdev = vfpriv->vgdev;
	u32 i;

	if (!vfpriv->rings)
		return;

	for (i = 0; i < vfpriv->num_rings; i++) {
		struct virtio_gpu_ring_sched *ring = &vfpriv->rings[i];

		if (!ring->ready)
			continue;
		virtio_gpu_entity_drain(&ring->entity, &ring->sched);
		/* The job that left the entity last has been through run_job. */
		flush_work(&ring->sched.work_run_job);
		virtio_gpu_timeline_wait_idle(vgdev, vfpriv->ctx_id, i);
	}

	for (i = 0; i < vfpriv->num_rings; i++)
		if (vfpriv->rings[i].ready)
			virtio_gpu_reset_forget_ring(vgdev, &vfpriv->rings[i]);
	/* A reset that took a ring off the list before is done with it. */
	flush_work(&vgdev->reset_work);

	for (i = 0; i < vfpriv->num_rings; i++) {
		struct virtio_gpu_ring_sched *ring = &vfpriv->rings[i];

		if (!ring->ready)
			continue;
		drm_sched_fini(&ring->sched);
		ring->ready = false;
	}
	virtio_gpu_rings_destroy(vgdev, vfpriv->ctx_id);
	kfree(vfpriv->rings);
	vfpriv->rings = NULL;
}

static int virtio_gpu_rings_setup(struct virtio_gpu_fpriv *vfpriv, u32 num_rings)
{
	struct virtio_gpu_device *vgdev = vfpriv->vgdev;
	u32 i;
	int ret;

	ret = virtio_gpu_rings_create(vgdev, vfpriv->ctx_id, num_rings);
	if (ret)
		return ret;

	/* The scheduler names live with the rings, 32 bytes each. */
	vfpriv->rings = kcalloc(num_rings, sizeof(*vfpriv->rings) + 32, GFP_KERNEL);
	if (!vfpriv->rings) {
		virtio_gpu_rings_destroy(vgdev, vfpriv->ctx_id);
		return -ENOMEM;
	}
	vfpriv->num_rings = num_rings;

	for (i = 0; i < num_rings; i++) {
		struct virtio_gpu_ring_sched *ring = &vfpriv->rings[i];
		struct drm_gpu_scheduler *sched = &ring->sched;
		char *name = (char *)(vfpriv->rings + num_rings) + 32 * i;

		snprintf(name, 32, "virtio_gpu-ctx%u-ring%u", vfpriv->ctx_id, i);
		ring->ring_idx = i;
		INIT_LIST_HEAD(&ring->reset_link);
		ret = virtio_gpu_sched_setup(vgdev, sched, name);
		if (ret)
			goto err;
		ret = drm_sched_entity_init(&ring->entity, VIRTIO_GPU_ENTITY_PRIORITY,
					    &sched, 1, NULL);
		if (ret) {
			drm_sched_fini(sched);
			goto err;
		}
		ring->ready = true;
	}
	return 0;

err:
	virtio_gpu_rings_teardown(vfpriv);
	vfpriv->num_rings = 0;
	return ret;
}

/**
 * virtio_gpu_context_init_locked - initialise the file's context
 * @vfpriv: the file, its lock held, its context not created yet
 * @capset_id: capset of the context, 0 for none
 * @num_rings: rings of the context, 0 for none
 * @poll_mask: rings whose fences send DRM events
 *
 * Returns: 0, or an errno with nothing changed.
 */
int virtio_gpu_context_init_locked(struct virtio_gpu_fpriv *vfpriv, u32 capset_id,
				   u32 num_rings, u64 poll_mask)
{
	int ret;

	lockdep_assert_held(&vfpriv->lock);

	if (num_rings) {
		ret = virtio_gpu_rings_setup(vfpriv, num_rings);
		if (ret)
			return ret;
	}
	vfpriv->capset_id = capset_id;
	vfpriv->poll_rings_mask = poll_mask;

	ret = virtio_gpu_context_create_locked(vfpriv);
	if (ret) {
		virtio_gpu_rings_teardown(vfpriv);
		vfpriv->num_rings = 0;
		vfpriv->capset_id = 0;
		vfpriv->poll_rings_mask = 0;
		return ret;
	}
	vfpriv->context_init = true;
	return 0;
}

/**
 * virtio_gpu_entity - the entity a submission of the file goes to
 * @vfpriv: the file
 * @ring: the submission names a ring
 * @ring_idx: the ring, validated by the caller
 *
 * Returns: the entity, or ERR_PTR(-ENODEV) when the device is gone.
 */
struct drm_sched_entity *virtio_gpu_entity(struct virtio_gpu_fpriv *vfpriv,
					   bool ring, u32 ring_idx)
{
	struct virtio_gpu_device *vgdev = vfpriv->vgdev;
	struct drm_gpu_scheduler *sched = &vgdev->global_sched;
	struct drm_sched_entity *entity = ERR_PTR(-ENODEV);

	if (ring)
		return &vfpriv->rings[ring_idx].entity;

	mutex_lock(&vfpriv->lock);
	if (vfpriv->global_entity_ready) {
		entity = &vfpriv->global_entity;
	} else if (vgdev->global_sched_ready &&
		   !drm_sched_entity_init(&vfpriv->global_entity,
					  VIRTIO_GPU_ENTITY_PRIORITY, &sched, 1,
					  NULL)) {
		vfpriv->global_entity_ready = true;
		entity = &vfpriv->global_entity;
	}
	mutex_unlock(&vfpriv->lock);
	return entity;
}

/**
 * virtio_gpu_driver_open - &drm_driver.open: give the file a context id
 * @dev: the DRM device
 * @file: the new file
 *
 * Returns: 0, -ENOMEM, or -ENOSPC when context ids ran out.
 */
int virtio_gpu_driver_open(struct drm_device *dev, struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	struct virtio_gpu_fpriv *vfpriv;
	int id;

	vfpriv = kzalloc(sizeof(*vfpriv), GFP_KERNEL);
	if (!vfpriv)
		return -ENOMEM;

	id = ida_alloc_min(&vgdev->ctx_ida, 1, GFP_KERNEL);
	if (id < 0) {
		kfree(vfpriv);
		return id;
	}
	vfpriv->vgdev = vgdev;
	vfpriv->ctx_id = id;
	mutex_init(&vfpriv->lock);
	file->driver_priv = vfpriv;
	return 0;
}

/**
 * virtio_gpu_driver_postclose - &drm_driver.postclose: drop the context
 * @dev: the DRM device
 * @file: the file being closed
 *
 * Queued submissions get a second to start, then are cancelled; the
 * schedulers of the rings go away and the host context is destroyed.
 */
void virtio_gpu_driver_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct virtio_gpu_fpriv *vfpriv = file->driver_priv;
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);

	if (!vfpriv)
		return;

	if (vfpriv->global_entity_ready)
		virtio_gpu_entity_drain(&vfpriv->global_entity, &vgdev->global_sched);
	virtio_gpu_rings_teardown(vfpriv);

	if (vfpriv->created_generation)
		virtio_gpu_cmd_ctx_destroy(vgdev, vfpriv->ctx_id);

	ida_free(&vgdev->ctx_ida, vfpriv->ctx_id);
	mutex_destroy(&vfpriv->lock);
	kfree(vfpriv);
	file->driver_priv = NULL;
}
