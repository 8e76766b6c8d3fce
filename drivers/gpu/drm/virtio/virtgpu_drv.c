// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Device core
 *
 * Probing requires VIRTIO_F_VERSION_1. The driver negotiates the 3D
 * (VIRGL), EDID, resource UUID, blob resource and context-init features
 * and, through the virtio core, indirect descriptors, and records what the
 * device granted. From the device config it reads the number of scanouts
 * and capsets; a config asking for more than %VIRTIO_GPU_MAX_CAPSETS
 * capsets or %VIRTIO_GPU_MAX_SCANOUTS scanouts is refused.
 *
 * The info of every capset is queried once at probe. A capset whose query
 * fails is left out (and logged); the device still probes. So is a capset
 * whose info the driver cannot use or does not believe: an id of 64 or
 * more, a size of zero or above %VIRTIO_GPU_CAPSET_MAX_SIZE, a version
 * above %VIRTIO_GPU_CAPSET_MAX_VERSION. Capset data is fetched from the
 * host the first time it is asked for and cached.
 *
 * The driver is render-only for now: it registers a DRM device but no
 * display.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "virtgpu_drv.h"

static unsigned int virtio_gpu_features[] = {
	VIRTIO_GPU_F_VIRGL,
	VIRTIO_GPU_F_EDID,
	VIRTIO_GPU_F_RESOURCE_UUID,
	VIRTIO_GPU_F_RESOURCE_BLOB,
	VIRTIO_GPU_F_CONTEXT_INIT,
};

static const struct virtio_device_id virtio_gpu_id_table[] = {
	{ VIRTIO_ID_GPU, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

DEFINE_DRM_GEM_FOPS(virtio_gpu_fops);

#define VIRTIO_GPU_DRIVER_MAJOR		0
#define VIRTIO_GPU_DRIVER_MINOR		1
#define VIRTIO_GPU_DRIVER_PATCHLEVEL	0

static const struct drm_driver virtio_gpu_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.open = virtio_gpu_driver_open,
	.postclose = virtio_gpu_driver_postclose,
	.gem_create_object = virtio_gpu_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	.dumb_create = virtio_gpu_dumb_create,
	.ioctls = virtio_gpu_ioctls,
	.num_ioctls = VIRTIO_GPU_NUM_IOCTLS,
	.fops = &virtio_gpu_fops,
	.name = VIRTIO_GPU_DRIVER_NAME,
	.desc = "virtio GPU",
	/* The base driver's version: userspace may check it. */
	.major = VIRTIO_GPU_DRIVER_MAJOR,
	.minor = VIRTIO_GPU_DRIVER_MINOR,
	.patchlevel = VIRTIO_GPU_DRIVER_PATCHLEVEL,
};

static void virtio_gpu_read_features(struct virtio_gpu_device *vgdev)
{
	struct virtio_device *vdev = vgdev->vdev;

	vgdev->has_virgl_3d = virtio_has_feature(vdev, VIRTIO_GPU_F_VIRGL);
	vgdev->has_edid = virtio_has_feature(vdev, VIRTIO_GPU_F_EDID);
	vgdev->has_resource_uuid = virtio_has_feature(vdev, VIRTIO_GPU_F_RESOURCE_UUID);
	vgdev->has_resource_blob = virtio_has_feature(vdev, VIRTIO_GPU_F_RESOURCE_BLOB);
	vgdev->has_context_init = virtio_has_feature(vdev, VIRTIO_GPU_F_CONTEXT_INIT);
	vgdev->has_indirect = virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC);
}

/*
 * Whether the info the host gave of capset @index can be used. Logs why
 * not: a size or version above the bounds is a broken or hostile host.
 */
static bool virtio_gpu_capset_usable(struct virtio_gpu_device *vgdev, u32 index,
				     const struct virtio_gpu_capset *capset)
{
	if (capset->id >= VIRTIO_GPU_MAX_CAPSETS || !capset->max_size) {
		drm_warn(&vgdev->ddev, "capset %u: id %u size %u ignored\n",
			 index, capset->id, capset->max_size);
		return false;
	}
	if (capset->max_size > VIRTIO_GPU_CAPSET_MAX_SIZE) {
		drm_warn(&vgdev->ddev,
			 "capset %u: id %u claims %u bytes, more than %u: ignored\n",
			 index, capset->id, capset->max_size, VIRTIO_GPU_CAPSET_MAX_SIZE);
		return false;
	}
	if (capset->max_version > VIRTIO_GPU_CAPSET_MAX_VERSION) {
		drm_warn(&vgdev->ddev,
			 "capset %u: id %u claims version %u, more than %u: ignored\n",
			 index, capset->id, capset->max_version,
			 VIRTIO_GPU_CAPSET_MAX_VERSION);
		return false;
	}
	return true;
}

/* Asks the host about capset @index. */
static void virtio_gpu_query_capset(struct virtio_gpu_device *vgdev, u32 index)
{
	struct virtio_gpu_capset *capset = &vgdev->capsets[index];
	struct virtio_gpu_resp_capset_info *resp;
	struct virtio_gpu_get_capset_info *cmd;
	struct virtio_gpu_vbuf *vbuf;
	int ret;

	vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_GET_CAPSET_INFO, 0, sizeof(*cmd),
				  sizeof(*resp));
	if (!vbuf)
		return;
	cmd = vbuf->cmd;
	cmd->capset_index = cpu_to_le32(index);
	vbuf->resp_type = VIRTIO_GPU_RESP_OK_CAPSET_INFO;

	ret = virtio_gpu_cmd_sync(vgdev, vbuf);
	resp = vbuf->resp;
	if (!ret && vbuf->resp_len < sizeof(*resp))
		ret = -EPROTO;
	if (ret) {
		drm_warn(&vgdev->ddev, "capset %u: info query failed: %d\n", index, ret);
	} else {
		capset->id = le32_to_cpu(resp->capset_id);
		capset->max_version = le32_to_cpu(resp->capset_max_version);
		capset->max_size = le32_to_cpu(resp->capset_max_size);
		capset->valid = virtio_gpu_capset_usable(vgdev, index, capset);
		if (capset->valid)
			vgdev->capset_mask |= BIT_ULL(capset->id);
	}
	virtio_gpu_vbuf_put(vbuf);
}

static struct virtio_gpu_capset *
virtio_gpu_find_capset(struct virtio_gpu_device *vgdev, u32 id)
{
	u32 i;

	for (i = 0; i < vgdev->num_capsets; i++)
		if (vgdev->capsets[i].valid && vgdev->capsets[i].id == id)
			return &vgdev->capsets[i];
	return NULL;
}

static const struct virtio_gpu_capset_data *
virtio_gpu_capset_cached(struct virtio_gpu_device *vgdev, u32 id, u32 version)
{
	struct virtio_gpu_capset_data *data;

	list_for_each_entry(data, &vgdev->capset_cache, link)
		if (data->id == id && data->version == version)
			return data;
	return NULL;
}

/**
 * virtio_gpu_get_capset - the data of a capset version
 * @vgdev: the device
 * @id: capset id
 * @version: capset version, at most the capset's max_version
 * @out: set to the cached data, valid as long as the device
 *
 * Fetches the data from the host on first use and caches it.
 *
 * Returns: 0, -EINVAL for an unknown capset or version, -ENOMEM, or the
 * error of the host's answer.
 */
int virtio_gpu_get_capset(struct virtio_gpu_device *vgdev, u32 id, u32 version,
			  const struct virtio_gpu_capset_data **out)
{
	struct virtio_gpu_capset *capset = virtio_gpu_find_capset(vgdev, id);
	struct virtio_gpu_capset_data *data;
	struct virtio_gpu_resp_capset *resp;
	struct virtio_gpu_get_capset *cmd;
	struct virtio_gpu_vbuf *vbuf;
	int ret;

	if (!capset || version > capset->max_version)
		return -EINVAL;

	mutex_lock(&vgdev->capset_lock);
	*out = virtio_gpu_capset_cached(vgdev, id, version);
	if (*out) {
		mutex_unlock(&vgdev->capset_lock);
		return 0;
	}

	ret = -ENOMEM;
	/* No wrap: max_size was held against VIRTIO_GPU_CAPSET_MAX_SIZE. */
	vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_GET_CAPSET, 0, sizeof(*cmd),
				  sizeof(*resp) + capset->max_size);
	if (!vbuf)
		goto unlock;
	cmd = vbuf->cmd;
	cmd->capset_id = cpu_to_le32(id);
	cmd->capset_version = cpu_to_le32(version);
	vbuf->resp_type = VIRTIO_GPU_RESP_OK_CAPSET;

	ret = virtio_gpu_cmd_sync(vgdev, vbuf);
	resp = vbuf->resp;
	if (ret)
		goto put;

	data = kzalloc(struct_size(data, data, capset->max_size), GFP_KERNEL);
	if (!data) {
		ret = -ENOMEM;
		goto put;
	}
	data->id = id;
	data->version = version;
	data->size = capset->max_size;
	/*
	 * What the host wrote: resp_len is at least a header and at most the
	 * buffer. The rest of a short answer stays zero.
	 */
	memcpy(data->data, resp->capset_data,
	       min_t(u32, capset->max_size, vbuf->resp_len - sizeof(*resp)));
	list_add_tail(&data->link, &vgdev->capset_cache);
	*out = data;
put:
	virtio_gpu_vbuf_put(vbuf);
unlock:
	mutex_unlock(&vgdev->capset_lock);
	return ret;
}

static void virtio_gpu_capset_cache_free(struct virtio_gpu_device *vgdev)
{
	struct virtio_gpu_capset_data *data, *next;

	list_for_each_entry_safe(data, next, &vgdev->capset_cache, link) {
		list_del(&data->link);
		kfree(data);
	}
}

static int virtio_gpu_read_config(struct virtio_gpu_device *vgdev)
{
	struct virtio_device *vdev = vgdev->vdev;

	virtio_cread_le(vdev, struct virtio_gpu_config, num_scanouts,
			&vgdev->num_scanouts);
	virtio_cread_le(vdev, struct virtio_gpu_config, num_capsets,
			&vgdev->num_capsets);

	if (vgdev->num_scanouts > VIRTIO_GPU_MAX_SCANOUTS ||
	    vgdev->num_capsets > VIRTIO_GPU_MAX_CAPSETS) {
		dev_err(&vdev->dev, "bad config: %u scanouts, %u capsets\n",
			vgdev->num_scanouts, vgdev->num_capsets);
		return -EINVAL;
	}

	if (vgdev->num_capsets) {
		vgdev->capsets = drmm_kcalloc(&vgdev->ddev, vgdev->num_capsets,
					      sizeof(*vgdev->capsets), GFP_KERNEL);
		if (!vgdev->capsets)
			return -ENOMEM;
	}
	return 0;
}

static void virtio_gpu_log_features(struct virtio_gpu_device *vgdev)
{
	drm_info(&vgdev->ddev,
		 "features: %cvirgl %cedid %cresource-uuid %cblob %ccontext-init %cindirect; %u scanouts, %u capsets\n",
		 vgdev->has_virgl_3d ? '+' : '-', vgdev->has_edid ? '+' : '-',
		 vgdev->has_resource_uuid ? '+' : '-',
		 vgdev->has_resource_blob ? '+' : '-',
		 vgdev->has_context_init ? '+' : '-',
		 vgdev->has_indirect ? '+' : '-',
		 vgdev->num_scanouts, vgdev->num_capsets);
	drm_info(&vgdev->ddev, "render-only: no display support in this driver\n");
}

/* Default of &virtio_gpu_device.job_timeout. */
#define VIRTIO_GPU_JOB_TIMEOUT	(10 * HZ)

/* The last user of the DRM device is gone: what files may have used. */
static void virtio_gpu_release(struct drm_device *ddev, void *data)
{
	struct virtio_gpu_device *vgdev = data;

	cancel_work_sync(&vgdev->reset_work);
	if (vgdev->sched_wq)
		destroy_workqueue(vgdev->sched_wq);
	virtio_gpu_fence_driver_release(vgdev);
	ida_destroy(&vgdev->ctx_ida);
	ida_destroy(&vgdev->resource_ida);
}

/*
 * The DRM device hangs off the transport's device (the PCI function of
 * virtio-gpu-pci), as with the base driver, so that sysfs shows userspace
 * the same tree. Its devres live in a group of their own on that device,
 * released when this driver lets go of the virtio device, which may be
 * long before the transport's driver goes.
 */
static struct device *virtio_gpu_parent(struct virtio_device *vdev)
{
	return vdev->dev.parent ?: &vdev->dev;
}

static int virtio_gpu_probe(struct virtio_device *vdev)
{
	struct device *parent = virtio_gpu_parent(vdev);
	struct virtio_gpu_device *vgdev;
	void *group;
	u32 i;
	int ret;

	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev, "the device does not offer VIRTIO_F_VERSION_1\n");
		return -ENODEV;
	}

	/* Around the one allocation: the bus driver adds nothing meanwhile. */
	group = devres_open_group(parent, NULL, GFP_KERNEL);
	if (!group)
		return -ENOMEM;
	vgdev = devm_drm_dev_alloc(parent, &virtio_gpu_drm_driver,
				   struct virtio_gpu_device, ddev);
	devres_close_group(parent, group);
	if (IS_ERR(vgdev)) {
		devres_release_group(parent, group);
		return PTR_ERR(vgdev);
	}
	vgdev->devres_group = group;
	vgdev->vdev = vdev;
	INIT_LIST_HEAD(&vgdev->capset_cache);
	virtio_gpu_reset_init(vgdev);
	ret = drmm_mutex_init(&vgdev->ddev, &vgdev->capset_lock);
	if (!ret)
		ret = drmm_mutex_init(&vgdev->ddev, &vgdev->reset_lock);
	if (!ret)
		ret = drmm_add_action_or_reset(&vgdev->ddev, virtio_gpu_release, vgdev);
	if (ret)
		goto err_put;
	ida_init(&vgdev->resource_ida);
	ida_init(&vgdev->ctx_ida);
	vgdev->job_timeout = VIRTIO_GPU_JOB_TIMEOUT;

	virtio_gpu_read_features(vgdev);
	ret = virtio_gpu_read_config(vgdev);
	if (ret)
		goto err_put;

	virtio_gpu_queue_init(&vgdev->ctrlq, virtio_gpu_ctrl_dequeue);
	virtio_gpu_queue_init(&vgdev->cursorq, virtio_gpu_cursor_dequeue);
	ret = virtio_gpu_fence_driver_init(vgdev);
	if (ret)
		goto err_put;

	vdev->priv = &vgdev->ddev;
	ret = virtio_gpu_device_start(vgdev);
	if (ret)
		goto err_fences;

	for (i = 0; i < vgdev->num_capsets; i++)
		virtio_gpu_query_capset(vgdev, i);

	ret = virtio_gpu_sched_init(vgdev);
	if (ret)
		goto err_queues;

	ret = drm_dev_register(&vgdev->ddev, 0);
	if (ret)
		goto err_sched;

	virtio_gpu_log_features(vgdev);
	return 0;

err_sched:
	virtio_gpu_sched_fini(vgdev);
err_queues:
	WRITE_ONCE(vgdev->unplugged, true);
	virtio_gpu_device_stop(vgdev);
	virtio_gpu_capset_cache_free(vgdev);
err_fences:
	vdev->priv = NULL;
	virtio_gpu_fence_driver_fini(vgdev);
err_put:
	devres_release_group(parent, group);
	return ret;
}

static void virtio_gpu_remove(struct virtio_device *vdev)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(vdev->priv);

	drm_dev_unplug(&vgdev->ddev);
	virtio_gpu_device_unplug(vgdev);
	virtio_gpu_sched_fini(vgdev);
	vdev->priv = NULL;

	virtio_gpu_capset_cache_free(vgdev);
	virtio_gpu_fence_driver_fini(vgdev);
	/* The device's reference; files still open hold their own. */
	devres_release_group(virtio_gpu_parent(vdev), vgdev->devres_group);
}

static struct virtio_driver virtio_gpu_virtio_driver = {
	.driver = {
		.name = KBUILD_MODNAME,
	},
	.id_table = virtio_gpu_id_table,
	.feature_table_size = ARRAY_SIZE(virtio_gpu_features),
	.feature_table = virtio_gpu_features,

	.remove = virtio_gpu_remove,
	.probe = virtio_gpu_probe,
};

module_virtio_driver(virtio_gpu_virtio_driver);

MODULE_DEVICE_TABLE(virtio, virtio_gpu_id_table);
MODULE_DESCRIPTION("virtio GPU driver");
MODULE_LICENSE("Dual MIT/GPL");
