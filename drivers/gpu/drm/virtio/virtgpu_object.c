// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: Objects
 *
 * A GEM object is a shmem object paired with a host resource of the same
 * id. Creating one sends RESOURCE_CREATE_2D (without 3D), RESOURCE_CREATE_3D
 * or RESOURCE_CREATE_BLOB, and gives the host the object's pages as backing
 * (ATTACH_BACKING, or inline with a guest blob). A host3d blob has no guest
 * pages. The fence of the last command goes into the object's reservation
 * object, so DRM_IOCTL_VIRTGPU_WAIT waits until the host has the resource.
 *
 * Freeing the object sends RESOURCE_UNREF; the pages are released only
 * once the host answered (or the device is gone), since the host may use
 * them until then.
 *
 * A device reset loses every host resource. The object remembers the
 * device generation it was created in; once that is past, the object is
 * lost (virtio_gpu_object_lost()): commands that would name it fail with
 * -EIO, and freeing it sends nothing, as there is nothing left on the
 * host to unreference.
 */

#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>

#include <drm/drm_prime.h>

#include "virtgpu_drv.h"

static void virtio_gpu_object_release(struct virtio_gpu_device *vgdev,
				      struct virtio_gpu_object *bo)
{
	if (bo->sgt) {
		if (bo->dma_mapped)
			dma_unmap_sgtable(vgdev->vdev->dev.parent, bo->sgt,
					  DMA_BIDIRECTIONAL, 0);
		sg_free_table(bo->sgt);
		kfree(bo->sgt);
		bo->sgt = NULL;
		drm_gem_shmem_unpin(&bo->base);
	}
	if (bo->hw_res_handle)
		ida_free(&vgdev->resource_ida, bo->hw_res_handle);
	drm_gem_shmem_free(&bo->base);
}

static void virtio_gpu_unref_done(struct virtio_gpu_device *vgdev,
				  struct virtio_gpu_vbuf *vbuf)
{
	virtio_gpu_object_release(vgdev, vbuf->cb_data);
}

static void virtio_gpu_object_free(struct drm_gem_object *obj)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(obj->dev);
	struct virtio_gpu_object *bo = to_virtio_gpu_obj(obj);
	struct virtio_gpu_resource_unref *cmd;
	struct virtio_gpu_vbuf *vbuf;

	/* A reset dropped the resource and ended the commands that used it. */
	if (virtio_gpu_object_lost(bo)) {
		virtio_gpu_object_release(vgdev, bo);
		return;
	}

	vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_RESOURCE_UNREF, 0, sizeof(*cmd),
				  sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf) {
		/* The host keeps a stale resource; the guest memory is ours. */
		virtio_gpu_object_release(vgdev, bo);
		return;
	}
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(bo->hw_res_handle);
	vbuf->resp_cb = virtio_gpu_unref_done;
	vbuf->cb_data = bo;

	/* On failure the callback runs with -ENODEV, now or after the halt. */
	virtio_gpu_cmd_send(vgdev, vbuf, NULL);
}

static int virtio_gpu_gem_open(struct drm_gem_object *obj, struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(obj->dev);
	struct virtio_gpu_fpriv *vfpriv = file->driver_priv;
	struct virtio_gpu_object *bo = to_virtio_gpu_obj(obj);

	/* 3D contexts see the resources their file has handles to. */
	if (!vgdev->has_virgl_3d || !vfpriv || virtio_gpu_object_lost(bo))
		return 0;
	if (virtio_gpu_context_ensure(vfpriv))
		return 0;
	return virtio_gpu_cmd_ctx_resource(vgdev, vfpriv->ctx_id,
					   bo->hw_res_handle, true);
}

static void virtio_gpu_gem_close(struct drm_gem_object *obj, struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(obj->dev);
	struct virtio_gpu_fpriv *vfpriv = file->driver_priv;

	if (!vgdev->has_virgl_3d || !vfpriv || !vfpriv->created_generation ||
	    virtio_gpu_object_lost(to_virtio_gpu_obj(obj)))
		return;
	virtio_gpu_cmd_ctx_resource(vgdev, vfpriv->ctx_id,
				    to_virtio_gpu_obj(obj)->hw_res_handle, false);
}

/* Our lifetime hooks; memory handling is the shmem helpers'. */
static const struct drm_gem_object_funcs virtio_gpu_gem_funcs = {
	.open = virtio_gpu_gem_open,
	.close = virtio_gpu_gem_close,
	.free = virtio_gpu_object_free,

	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,

	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,

	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,

	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.print_info = drm_gem_shmem_object_print_info,
};

/**
 * virtio_gpu_create_object - the driver's &drm_driver.gem_create_object
 * @dev: the DRM device
 * @size: object size
 *
 * Returns: a zeroed &virtio_gpu_object's GEM object, or ERR_PTR(-ENOMEM).
 */
struct drm_gem_object *virtio_gpu_create_object(struct drm_device *dev, size_t size)
{
	struct virtio_gpu_object *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.base.funcs = &virtio_gpu_gem_funcs;
	bo->base.map_wc = true;
	return &bo->base.base;
}

/* Pins the pages and describes them for the host. */
static int virtio_gpu_object_entries(struct virtio_gpu_device *vgdev,
				     struct virtio_gpu_object *bo,
				     struct virtio_gpu_mem_entry **out, u32 *nents)
{
	bool use_dma = !virtio_has_dma_quirk(vgdev->vdev);
	struct virtio_gpu_mem_entry *ents;
	struct scatterlist *sg;
	unsigned int i, n;
	int ret;

	ret = drm_gem_shmem_pin(&bo->base);
	if (ret)
		return ret;

	bo->sgt = drm_gem_shmem_get_sg_table(&bo->base);
	if (IS_ERR(bo->sgt)) {
		ret = PTR_ERR(bo->sgt);
		bo->sgt = NULL;
		goto unpin;
	}
	if (use_dma) {
		ret = dma_map_sgtable(vgdev->vdev->dev.parent, bo->sgt,
				      DMA_BIDIRECTIONAL, 0);
		if (ret)
			goto free_sgt;
		bo->dma_mapped = true;
	}

	n = use_dma ? bo->sgt->nents : bo->sgt->orig_nents;
	ents = kvmalloc_array(n, sizeof(*ents), GFP_KERNEL);
	if (!ents) {
		ret = -ENOMEM;
		goto unmap;
	}
	if (use_dma) {
		for_each_sgtable_dma_sg(bo->sgt, sg, i) {
			ents[i].addr = cpu_to_le64(sg_dma_address(sg));
			ents[i].length = cpu_to_le32(sg_dma_len(sg));
			ents[i].padding = 0;
		}
	} else {
		for_each_sgtable_sg(bo->sgt, sg, i) {
			ents[i].addr = cpu_to_le64(sg_phys(sg));
			ents[i].length = cpu_to_le32(sg->length);
			ents[i].padding = 0;
		}
	}
	*out = ents;
	*nents = n;
	bo->guest_backed = true;
	return 0;

unmap:
	if (bo->dma_mapped)
		dma_unmap_sgtable(vgdev->vdev->dev.parent, bo->sgt,
				  DMA_BIDIRECTIONAL, 0);
	bo->dma_mapped = false;
free_sgt:
	sg_free_table(bo->sgt);
	kfree(bo->sgt);
	bo->sgt = NULL;
unpin:
	drm_gem_shmem_unpin(&bo->base);
	return ret;
}

static int virtio_gpu_cmd_create_resource(struct virtio_gpu_device *vgdev,
					  struct virtio_gpu_object *bo,
					  const struct virtio_gpu_object_params *p,
					  struct virtio_gpu_mem_entry *ents, u32 nents,
					  struct virtio_gpu_fence *fence)
{
	struct virtio_gpu_vbuf *vbuf;
	int ret;

	if (p->blob) {
		struct virtio_gpu_resource_create_blob *cmd;

		/* The entries go with the command, or here on failure. */
		vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB, p->ctx_id,
					  sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
		if (!vbuf) {
			kvfree(ents);
			return -ENOMEM;
		}
		cmd = vbuf->cmd;
		cmd->resource_id = cpu_to_le32(bo->hw_res_handle);
		cmd->blob_mem = cpu_to_le32(p->blob_mem);
		cmd->blob_flags = cpu_to_le32(p->blob_flags);
		cmd->blob_id = cpu_to_le64(p->blob_id);
		cmd->size = cpu_to_le64(bo->base.base.size);
		cmd->nr_entries = cpu_to_le32(nents);
		ret = virtio_gpu_vbuf_set_data(vgdev, vbuf, ents,
					       nents * sizeof(*ents), true);
		if (ret) {
			virtio_gpu_vbuf_put(vbuf);
			return ret;
		}
		return virtio_gpu_cmd_queue(vgdev, vbuf, fence);
	}

	if (p->virgl) {
		struct virtio_gpu_resource_create_3d *cmd;

		vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_RESOURCE_CREATE_3D, p->ctx_id,
					  sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
		if (!vbuf)
			return -ENOMEM;
		cmd = vbuf->cmd;
		cmd->resource_id = cpu_to_le32(bo->hw_res_handle);
		cmd->target = cpu_to_le32(p->target);
		cmd->format = cpu_to_le32(p->format);
		cmd->bind = cpu_to_le32(p->bind);
		cmd->width = cpu_to_le32(p->width);
		cmd->height = cpu_to_le32(p->height);
		cmd->depth = cpu_to_le32(p->depth);
		cmd->array_size = cpu_to_le32(p->array_size);
		cmd->last_level = cpu_to_le32(p->last_level);
		cmd->nr_samples = cpu_to_le32(p->nr_samples);
		cmd->flags = cpu_to_le32(p->flags);
	} else {
		struct virtio_gpu_resource_create_2d *cmd;

		vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, 0,
					  sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
		if (!vbuf)
			return -ENOMEM;
		cmd = vbuf->cmd;
		cmd->resource_id = cpu_to_le32(bo->hw_res_handle);
		cmd->format = cpu_to_le32(p->format);
		cmd->width = cpu_to_le32(p->width);
		cmd->height = cpu_to_le32(p->height);
	}
	return virtio_gpu_cmd_queue(vgdev, vbuf, NULL);
}

static int virtio_gpu_cmd_attach_backing(struct virtio_gpu_device *vgdev,
					 struct virtio_gpu_object *bo,
					 struct virtio_gpu_mem_entry *ents, u32 nents,
					 struct virtio_gpu_fence *fence)
{
	struct virtio_gpu_resource_attach_backing *cmd;
	struct virtio_gpu_vbuf *vbuf;
	int ret;

	vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, 0,
				  sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf) {
		kvfree(ents);
		return -ENOMEM;
	}
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(bo->hw_res_handle);
	cmd->nr_entries = cpu_to_le32(nents);
	ret = virtio_gpu_vbuf_set_data(vgdev, vbuf, ents, nents * sizeof(*ents), true);
	if (ret) {
		virtio_gpu_vbuf_put(vbuf);
		return ret;
	}
	return virtio_gpu_cmd_queue(vgdev, vbuf, fence);
}

/**
 * virtio_gpu_object_create - create an object and its host resource
 * @vgdev: the device
 * @params: what to create
 * @out: the new object, with one reference
 * @fence: optional fence emitted with the last command
 *
 * Returns: 0, -ENOMEM, -ENOSPC when resource ids ran out, -ENODEV, or the
 * error of pinning the pages.
 */
int virtio_gpu_object_create(struct virtio_gpu_device *vgdev,
			     const struct virtio_gpu_object_params *params,
			     struct virtio_gpu_object **out,
			     struct virtio_gpu_fence *fence)
{
	bool host_only = params->blob && params->blob_mem == VIRTGPU_BLOB_MEM_HOST3D;
	struct virtio_gpu_mem_entry *ents = NULL;
	struct drm_gem_shmem_object *shmem;
	struct virtio_gpu_object *bo;
	u32 nents = 0;
	int ret;

	ret = virtio_gpu_reset_wait(vgdev);
	if (ret)
		return ret;
	shmem = drm_gem_shmem_create(&vgdev->ddev,
				     PAGE_ALIGN(params->size ?: PAGE_SIZE));
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	bo = to_virtio_gpu_obj(&shmem->base);

	ret = ida_alloc_min(&vgdev->resource_ida, 1, GFP_KERNEL);
	if (ret < 0)
		goto put;
	bo->hw_res_handle = ret;
	bo->virgl = params->virgl;
	bo->blob = params->blob;
	bo->blob_mem = params->blob_mem;
	bo->blob_flags = params->blob_flags;
	bo->blob_id = params->blob_id;
	bo->width = params->width;
	bo->height = params->height;

	if (!host_only) {
		ret = virtio_gpu_object_entries(vgdev, bo, &ents, &nents);
		if (ret)
			goto put;
	}

	ret = virtio_gpu_cmd_create_resource(vgdev, bo, params, ents, nents,
					     params->blob ? fence : NULL);
	if (ret) {
		if (!params->blob)
			kvfree(ents);
		goto put;
	}
	/*
	 * Read once the create is queued. A reset just before leaves the
	 * resource on the new device; one just after is taken for the same,
	 * which only costs an UNREF the host refuses. Never the other way:
	 * an object taken for lost is freed without UNREF, and a host that
	 * still had its backing would write freed pages.
	 */
	bo->generation = atomic_read(&vgdev->generation);
	if (!params->blob) {
		ret = virtio_gpu_cmd_attach_backing(vgdev, bo, ents, nents, fence);
		if (ret)
			goto put;
	}
	virtio_gpu_notify(vgdev);
	*out = bo;
	return 0;

put:
	drm_gem_object_put(&bo->base.base);
	return ret;
}

/**
 * virtio_gpu_object_fence - make waiters of an object wait for a fence
 * @bo: the object
 * @fence: a fence of a command that writes @bo
 *
 * Returns: 0, or the error of reserving a fence slot.
 */
int virtio_gpu_object_fence(struct virtio_gpu_object *bo,
			    struct virtio_gpu_fence *fence)
{
	struct dma_resv *resv = bo->base.base.resv;
	int ret;

	dma_resv_lock(resv, NULL);
	ret = dma_resv_reserve_fences(resv, 1);
	if (!ret)
		dma_resv_add_fence(resv, &fence->base, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(resv);
	return ret;
}

/**
 * virtio_gpu_object_lost - tell whether a device reset lost an object's
 * host resource
 * @bo: the object
 *
 * Returns: 0 while the host resource exists (or for an imported object,
 * which has none), -EIO once a device reset dropped it.
 */
int virtio_gpu_object_lost(struct virtio_gpu_object *bo)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(bo->base.base.dev);

	/* An imported object has no host resource to lose. */
	if (!bo->hw_res_handle)
		return 0;
	return bo->generation == (u32)atomic_read(&vgdev->generation) ? 0 : -EIO;
}

/* A box is six 32-bit words in the same order in the UAPI and on the wire. */
static void virtio_gpu_box_to_wire(struct virtio_gpu_box *dst,
				   const struct drm_virtgpu_3d_box *src)
{
	const u32 *in = (const u32 *)src;
	__le32 *out = (__le32 *)dst;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*dst) != 6 * sizeof(u32) || sizeof(*src) != sizeof(*dst));
	for (i = 0; i < 6; i++)
		out[i] = cpu_to_le32(in[i]);
}

static int virtio_gpu_cmd_transfer(struct virtio_gpu_device *vgdev, u32 type,
				   struct virtio_gpu_object *bo, u32 ctx_id,
				   const struct drm_virtgpu_3d_box *box, u64 offset,
				   u32 level, u32 stride, u32 layer_stride,
				   struct virtio_gpu_fence *fence)
{
	struct virtio_gpu_transfer_host_3d *cmd;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_cmd_new(type, ctx_id, sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf)
		return -ENOMEM;
	cmd = vbuf->cmd;
	virtio_gpu_box_to_wire(&cmd->box, box);
	cmd->offset = cpu_to_le64(offset);
	cmd->resource_id = cpu_to_le32(bo->hw_res_handle);
	cmd->level = cpu_to_le32(level);
	cmd->stride = cpu_to_le32(stride);
	cmd->layer_stride = cpu_to_le32(layer_stride);
	return virtio_gpu_cmd_send(vgdev, vbuf, fence);
}

/**
 * virtio_gpu_cmd_transfer_to_host - copy guest backing into the resource
 * @vgdev: the device
 * @bo: the object
 * @ctx_id: the 3D context, used for 3D transfers
 * @box: the region
 * @offset: offset in the backing
 * @level: mip level (3D)
 * @stride: row stride (3D)
 * @layer_stride: layer stride (3D)
 * @fence: optional fence
 *
 * Uses TRANSFER_TO_HOST_3D with 3D support, TRANSFER_TO_HOST_2D without.
 *
 * Returns: 0, -ENOMEM or -ENODEV.
 */
int virtio_gpu_cmd_transfer_to_host(struct virtio_gpu_device *vgdev,
				    struct virtio_gpu_object *bo, u32 ctx_id,
				    const struct drm_virtgpu_3d_box *box, u64 offset,
				    u32 level, u32 stride, u32 layer_stride,
				    struct virtio_gpu_fence *fence)
{
	if (bo->dma_mapped)
		dma_sync_sgtable_for_device(vgdev->vdev->dev.parent, bo->sgt,
					    DMA_TO_DEVICE);

	if (!vgdev->has_virgl_3d) {
		struct virtio_gpu_transfer_to_host_2d *cmd;
		struct virtio_gpu_vbuf *vbuf;

		vbuf = virtio_gpu_cmd_new(VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, 0,
					  sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
		if (!vbuf)
			return -ENOMEM;
		cmd = vbuf->cmd;
		cmd->r.x = cpu_to_le32(box->x);
		cmd->r.y = cpu_to_le32(box->y);
		cmd->r.width = cpu_to_le32(box->w);
		cmd->r.height = cpu_to_le32(box->h);
		cmd->offset = cpu_to_le64(offset);
		cmd->resource_id = cpu_to_le32(bo->hw_res_handle);
		return virtio_gpu_cmd_send(vgdev, vbuf, fence);
	}

	return virtio_gpu_cmd_transfer(vgdev, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D,
				       bo, ctx_id, box, offset, level, stride,
				       layer_stride, fence);
}

/**
 * virtio_gpu_cmd_transfer_from_host - copy a resource into guest backing
 * @vgdev: the device, with 3D support
 * @bo: the object
 * @ctx_id: the 3D context
 * @box: the region
 * @offset: offset in the backing
 * @level: mip level
 * @stride: row stride
 * @layer_stride: layer stride
 * @fence: optional fence
 *
 * Returns: 0, -ENOMEM or -ENODEV.
 */
int virtio_gpu_cmd_transfer_from_host(struct virtio_gpu_device *vgdev,
				      struct virtio_gpu_object *bo, u32 ctx_id,
				      const struct drm_virtgpu_3d_box *box, u64 offset,
				      u32 level, u32 stride, u32 layer_stride,
				      struct virtio_gpu_fence *fence)
{
	return virtio_gpu_cmd_transfer(vgdev, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D,
				       bo, ctx_id, box, offset, level, stride,
				       layer_stride, fence);
}

/**
 * virtio_gpu_cmd_ctx_resource - attach a resource to a 3D context or
 * detach it
 * @vgdev: the device
 * @ctx_id: the context
 * @res_id: the resource
 * @attach: attach, or detach
 *
 * Returns: 0, -ENOMEM or -ENODEV.
 */
int virtio_gpu_cmd_ctx_resource(struct virtio_gpu_device *vgdev, u32 ctx_id,
				u32 res_id, bool attach)
{
	struct virtio_gpu_ctx_resource *cmd;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_cmd_new(attach ? VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE :
				  VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE,
				  ctx_id, sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf)
		return -ENOMEM;
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	return virtio_gpu_cmd_send(vgdev, vbuf, NULL);
}
