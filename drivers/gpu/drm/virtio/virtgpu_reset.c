// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Device reset
 *
 * The device is brought up at probe by virtio_gpu_device_start() and
 * stopped at removal by virtio_gpu_device_stop(). In between, a job that
 * times out resets it: the timeout handler stops its scheduler, puts it on
 * the reset list and leaves the rest to &virtio_gpu_device.reset_work,
 * which calls virtio_gpu_device_reset().
 *
 * A reset runs in two halves. The first ends everything fences wait for:
 * it resets the device, so that the host touches no guest memory any more,
 * signals every pending fence (answers the host gave before the reset
 * still count, every other fence signals with -ENODEV), and restarts the
 * stopped schedulers, which finish their jobs. This half allocates nothing
 * and waits for no fence; it is annotated as a fence signalling section,
 * so that lockdep reports it if it ever does. Only then, with no fence
 * waiting on it, the second half frees and allocates the virtqueues anew
 * and renegotiates the features granted at probe.
 *
 * Host contexts and resources are lost in a reset. The device generation
 * counts resets: a file creates its host context again when it next needs
 * it, a job written for an older generation is cancelled instead of run,
 * and a resource of an older generation fails with -EIO wherever it would
 * be named to the host (virtio_gpu_object_lost()). Ioctls that talk to the
 * host wait for a reset in progress (virtio_gpu_reset_wait()) rather than
 * fail while the virtqueues are being replaced.
 *
 * Lock order: &virtio_gpu_device.reset_lock, then the fence signalling
 * section, then &virtio_gpu_device.reset_list_lock. The reset lock is held
 * across the second half, which allocates, so no path that fences wait
 * for takes it: the timeout handler decides whether a job hangs under the
 * control queue's spinlock alone (virtio_gpu_ctrl_stop_if_hung()).
 *
 * Removal (virtio_gpu_device_unplug()) stops resets first, then the
 * device, which ends every fence, and only then restarts the schedulers a
 * timeout stopped.
 */

#include <linux/dma-fence.h>
#include <linux/virtio_config.h>

#include <drm/drm_print.h>

#include "virtgpu_drv.h"

static int virtio_gpu_find_vqs(struct virtio_gpu_device *vgdev)
{
	struct virtqueue_info info[] = {
		{ "control", virtio_gpu_ctrl_ack },
		{ "cursor", virtio_gpu_cursor_ack },
	};
	struct virtqueue *vqs[ARRAY_SIZE(info)];
	int ret;

	ret = virtio_find_vqs(vgdev->vdev, ARRAY_SIZE(info), vqs, info, NULL);
	if (ret)
		return ret;
	vgdev->ctrlq.vq = vqs[0];
	vgdev->cursorq.vq = vqs[1];
	return 0;
}

/**
 * virtio_gpu_device_start - bring the device up with fresh virtqueues
 * @vgdev: the device, features negotiated, no virtqueues
 *
 * Returns: 0, or the error of creating the virtqueues.
 */
int virtio_gpu_device_start(struct virtio_gpu_device *vgdev)
{
	int ret = virtio_gpu_find_vqs(vgdev);

	if (ret)
		return ret;
	vgdev->vqs_live = true;
	virtio_device_ready(vgdev->vdev);
	virtio_gpu_queues_revive(vgdev);
	return 0;
}

/* Frees the virtqueues of a halted device. */
static void virtio_gpu_device_del_vqs(struct virtio_gpu_device *vgdev)
{
	vgdev->vdev->config->del_vqs(vgdev->vdev);
	vgdev->vqs_live = false;
}

/**
 * virtio_gpu_device_stop - stop the device for good
 * @vgdev: the device
 *
 * Resets the device, ends every command in flight and every pending fence
 * with -ENODEV, and deletes the virtqueues.
 */
void virtio_gpu_device_stop(struct virtio_gpu_device *vgdev)
{
	struct virtio_gpu_halted halted;
	bool cookie;

	if (!vgdev->vqs_live)
		return;
	virtio_gpu_halted_init(&halted);
	virtio_gpu_queues_halt(vgdev, &halted);
	cookie = dma_fence_begin_signalling();
	virtio_gpu_queues_end_fences(vgdev, &halted);
	dma_fence_end_signalling(cookie);
	virtio_gpu_queues_finish(vgdev, &halted);
	virtio_gpu_device_del_vqs(vgdev);
}

/* Negotiates again the features the driver accepted at probe. */
static int virtio_gpu_device_renegotiate(struct virtio_gpu_device *vgdev)
{
	struct virtio_device *vdev = vgdev->vdev;
	int ret;

	virtio_add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_DRIVER);
	ret = vdev->config->finalize_features(vdev);
	if (ret)
		return ret;
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(vdev->config->get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK))
		return -ENODEV;
	return 0;
}

/*
 * Restarts the schedulers a timeout stopped: their jobs, whose hardware
 * fences have signalled, finish now. The list lock is dropped to start
 * each ring; a ring torn down meanwhile has left the list first
 * (virtio_gpu_reset_forget_ring()).
 */
static void virtio_gpu_reset_restart(struct virtio_gpu_device *vgdev)
{
	struct virtio_gpu_ring_sched *ring;
	bool global;

	spin_lock(&vgdev->reset_list_lock);
	global = vgdev->global_stopped;
	vgdev->global_stopped = false;
	spin_unlock(&vgdev->reset_list_lock);
	if (global && vgdev->global_sched_ready)
		drm_sched_start(&vgdev->global_sched);

	for (;;) {
		spin_lock(&vgdev->reset_list_lock);
		ring = list_first_entry_or_null(&vgdev->reset_list,
						struct virtio_gpu_ring_sched,
						reset_link);
		if (ring)
			list_del_init(&ring->reset_link);
		spin_unlock(&vgdev->reset_list_lock);
		if (!ring)
			break;
		drm_sched_start(&ring->sched);
	}
}

/**
 * virtio_gpu_device_reset - reset the device with work in flight
 * @vgdev: the device
 *
 * Everything the host held is lost: queued commands end with -ENODEV,
 * pending fences signal with -ENODEV, schedulers stopped by a timeout
 * start again. Only then is the device brought up again, with the
 * features negotiated at probe; host contexts and resources must be
 * created anew.
 *
 * Returns: 0, or an errno when the device did not come back.
 */
int virtio_gpu_device_reset(struct virtio_gpu_device *vgdev)
{
	struct virtio_gpu_halted halted;
	bool cookie;
	int ret;

	virtio_gpu_halted_init(&halted);
	mutex_lock(&vgdev->reset_lock);
	/* Removal ends the fences and restarts the stopped schedulers. */
	if (READ_ONCE(vgdev->unplugged)) {
		ret = -ENODEV;
		goto unlock;
	}

	WRITE_ONCE(vgdev->resetting, true);
	if (vgdev->vqs_live)
		virtio_gpu_queues_halt(vgdev, &halted);
	else
		virtio_reset_device(vgdev->vdev);	/* after a failed reset */

	/* Fences wait for this part: no allocation, no waiting for fences. */
	cookie = dma_fence_begin_signalling();
	virtio_gpu_queues_end_fences(vgdev, &halted);
	atomic_inc(&vgdev->generation);
	virtio_gpu_reset_restart(vgdev);
	dma_fence_end_signalling(cookie);

	/* Nothing waits for the rest. */
	virtio_gpu_queues_finish(vgdev, &halted);
	if (vgdev->vqs_live)
		virtio_gpu_device_del_vqs(vgdev);
	ret = virtio_gpu_device_renegotiate(vgdev);
	if (!ret)
		ret = virtio_gpu_device_start(vgdev);

	WRITE_ONCE(vgdev->resetting, false);
	wake_up_all(&vgdev->reset_done);
unlock:
	mutex_unlock(&vgdev->reset_lock);
	return ret;
}

/**
 * virtio_gpu_reset_work - reset the device after a timeout
 * @work: &virtio_gpu_device.reset_work
 */
void virtio_gpu_reset_work(struct work_struct *work)
{
	struct virtio_gpu_device *vgdev =
		container_of(work, struct virtio_gpu_device, reset_work);

	if (virtio_gpu_device_reset(vgdev) && !READ_ONCE(vgdev->unplugged))
		drm_err(&vgdev->ddev, "the device did not come back after a reset\n");
}

/**
 * virtio_gpu_reset_after_timeout - reset the device for a stopped scheduler
 * @vgdev: the device
 * @sched: the scheduler the timeout handler stopped
 *
 * The reset runs from a work item: the caller is a timeout handler, which
 * the reset's second half (which allocates) must not hold up. @sched is
 * restarted by the reset, unless it is a ring being torn down.
 */
void virtio_gpu_reset_after_timeout(struct virtio_gpu_device *vgdev,
				    struct drm_gpu_scheduler *sched)
{
	bool reset = false;

	spin_lock(&vgdev->reset_list_lock);
	if (vgdev->stopped_for_good) {
		/* Removal ended every fence: nothing to wait for. */
		spin_unlock(&vgdev->reset_list_lock);
		drm_sched_start(sched);
		return;
	}
	if (sched == &vgdev->global_sched) {
		vgdev->global_stopped = true;
	} else {
		struct virtio_gpu_ring_sched *ring =
			container_of(sched, struct virtio_gpu_ring_sched, sched);

		if (list_empty(&ring->reset_link) && !ring->dying)
			list_add_tail(&ring->reset_link, &vgdev->reset_list);
	}
	/* Once unplugged, removal restarts what is on the list. */
	if (!vgdev->unplugged) {
		WRITE_ONCE(vgdev->resetting, true);
		reset = true;
	}
	spin_unlock(&vgdev->reset_list_lock);

	if (reset)
		schedule_work(&vgdev->reset_work);
}

/**
 * virtio_gpu_device_unplug - stop the device of a driver being removed
 * @vgdev: the device
 *
 * No reset runs from here on. The device is stopped, which ends every
 * fence with -ENODEV; only then do the schedulers a timeout stopped start
 * again, and a timeout after this restarts its scheduler at once.
 */
void virtio_gpu_device_unplug(struct virtio_gpu_device *vgdev)
{
	mutex_lock(&vgdev->reset_lock);
	spin_lock(&vgdev->reset_list_lock);
	WRITE_ONCE(vgdev->unplugged, true);
	spin_unlock(&vgdev->reset_list_lock);
	mutex_unlock(&vgdev->reset_lock);
	cancel_work_sync(&vgdev->reset_work);

	virtio_gpu_device_stop(vgdev);

	spin_lock(&vgdev->reset_list_lock);
	vgdev->stopped_for_good = true;
	spin_unlock(&vgdev->reset_list_lock);
	virtio_gpu_reset_restart(vgdev);

	WRITE_ONCE(vgdev->resetting, false);
	wake_up_all(&vgdev->reset_done);
}

/**
 * virtio_gpu_reset_forget_ring - keep a ring out of later resets
 * @vgdev: the device
 * @ring: a ring being torn down
 *
 * From here on a timeout leaves @ring off the reset list, and a reset to
 * come does not restart it. A reset that took it off the list before may
 * still be running: flush &virtio_gpu_device.reset_work afterwards.
 */
void virtio_gpu_reset_forget_ring(struct virtio_gpu_device *vgdev,
				  struct virtio_gpu_ring_sched *ring)
{
	spin_lock(&vgdev->reset_list_lock);
	ring->dying = true;
	list_del_init(&ring->reset_link);
	spin_unlock(&vgdev->reset_list_lock);
}

/**
 * virtio_gpu_reset_wait - wait for a device reset in progress
 * @vgdev: the device
 *
 * For ioctls about to talk to the host: from a timeout until its reset has
 * brought the virtqueues back, a command sent would fail with -ENODEV.
 * A command that passes this wait just before a reset starts still does:
 * the host context it was meant for is gone with the reset anyway.
 *
 * Returns: 0, or -ERESTARTSYS when a signal interrupted the wait.
 */
int virtio_gpu_reset_wait(struct virtio_gpu_device *vgdev)
{
	return wait_event_interruptible(vgdev->reset_done,
					!READ_ONCE(vgdev->resetting) ||
					READ_ONCE(vgdev->unplugged));
}

/**
 * virtio_gpu_reset_init - set up the reset state of a new device
 * @vgdev: the device
 */
void virtio_gpu_reset_init(struct virtio_gpu_device *vgdev)
{
	INIT_WORK(&vgdev->reset_work, virtio_gpu_reset_work);
	spin_lock_init(&vgdev->reset_list_lock);
	INIT_LIST_HEAD(&vgdev->reset_list);
	init_waitqueue_head(&vgdev->reset_done);
	atomic_set(&vgdev->generation, 1);
}
