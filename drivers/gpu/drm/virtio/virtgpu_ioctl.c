// SPDX-License-Identifier: GPL-2.0 OR MIT
/**
 * DOC: UAPI
 *
 * The ioctls of include/uapi/drm/virtgpu_drm.h, byte- and
 * behaviour-compatible with the base tree's driver. Every argument is
 * checked before anything is sent to the host: an unknown parameter, flag
 * or capset is -EINVAL, a bad handle -ENOENT, an unreadable or unwritable
 * user pointer -EFAULT, and a feature the device lacks -ENOSYS (3D
 * transfers, submissions, capsets) or -EINVAL (blobs, context init), as
 * the base driver answers. Transfers are also checked against their
 * object: one that would make the host touch bytes outside the object, or
 * without 3D a box outside the resource, is -EINVAL, where the base driver
 * passes it on (and an offset beyond the object aborts QEMU).
 *
 * DRM_IOCTL_MODE_CREATE_DUMB makes an XRGB8888 2D resource; a depth other
 * than 32 bits per pixel is -EINVAL, as in the base driver.
 *
 * Mapping host-visible memory (host3d blobs) is not supported yet:
 * DRM_IOCTL_VIRTGPU_MAP answers -EINVAL for such an object and
 * VIRTGPU_PARAM_HOST_VISIBLE reads 0.
 */

#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_mode.h>
#include <drm/virtgpu_drm.h>

#include "virtgpu_drv.h"

#define VIRTIO_GPU_BLOB_FLAGS	(VIRTGPU_BLOB_FLAG_USE_MAPPABLE | \
				 VIRTGPU_BLOB_FLAG_USE_SHAREABLE | \
				 VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE)
#define VIRTIO_GPU_CONTEXT_PARAMS_MAX	4
#define VIRTIO_GPU_WAIT_TIMEOUT		(15 * HZ)

static int virtio_gpu_getparam_ioctl(struct drm_device *dev, void *data,
				     struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	struct drm_virtgpu_getparam *args = data;
	/* Indexed by VIRTGPU_PARAM_*; the UAPI hands each out as an int. */
	const int params[] = {
		[VIRTGPU_PARAM_3D_FEATURES] = vgdev->has_virgl_3d,
		[VIRTGPU_PARAM_CAPSET_QUERY_FIX] = 1,
		[VIRTGPU_PARAM_RESOURCE_BLOB] = vgdev->has_resource_blob,
		[VIRTGPU_PARAM_HOST_VISIBLE] = 0,
		[VIRTGPU_PARAM_CROSS_DEVICE] = vgdev->has_resource_uuid,
		[VIRTGPU_PARAM_CONTEXT_INIT] = vgdev->has_context_init,
		/* Capset ids above 31 do not fit in the int. */
		[VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs] = (int)vgdev->capset_mask,
		[VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME] = vgdev->has_context_init,
	};

	if (!args->param || args->param >= ARRAY_SIZE(params))
		return -EINVAL;
	if (copy_to_user(u64_to_user_ptr(args->value), &params[args->param],
			 sizeof(params[0])))
		return -EFAULT;
	return 0;
}

static int virtio_gpu_get_caps_ioctl(struct drm_device *dev, void *data,
				     struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	const struct virtio_gpu_capset_data *caps;
	struct drm_virtgpu_get_caps *args = data;
	int ret;

	if (!vgdev->num_capsets)
		return -ENOSYS;
	if (!args->size)
		return -EINVAL;

	ret = virtio_gpu_get_capset(vgdev, args->cap_set_id, args->cap_set_ver, &caps);
	if (ret)
		return ret;

	if (copy_to_user(u64_to_user_ptr(args->addr), caps->data,
			 min(args->size, caps->size)))
		return -EFAULT;
	return 0;
}

/* Applies the parameters of CONTEXT_INIT, all or nothing. */
/* The name as userspace passed it, read before any lock is taken. */
struct virtio_gpu_ctx_name {
	char name[64];
	long len;
};

/*
 * Copies the first DEBUG_NAME of @params in. A fault is kept in @out and
 * reported where the parameter stands, after the checks before it.
 */
static void virtio_gpu_context_read_name(const struct drm_virtgpu_context_set_param *params,
					 u32 num_params, struct virtio_gpu_ctx_name *out)
{
	u32 i;

	out->len = 0;
	out->name[0] = '\0';
	for (i = 0; i < num_params; i++) {
		if (params[i].param != VIRTGPU_CONTEXT_PARAM_DEBUG_NAME)
			continue;
		out->len = strncpy_from_user(out->name, u64_to_user_ptr(params[i].value),
					     sizeof(out->name) - 1);
		if (out->len >= 0)
			out->name[out->len] = '\0';
		return;
	}
}

static int virtio_gpu_context_params(struct virtio_gpu_device *vgdev,
				     struct virtio_gpu_fpriv *vfpriv,
				     const struct drm_virtgpu_context_set_param *params,
				     u32 num_params,
				     const struct virtio_gpu_ctx_name *name)
{
	u64 poll_mask = 0, seen = 0;
	u32 capset_id = 0, num_rings = 0;
	u32 i;

	for (i = 0; i < num_params; i++) {
		u64 param = params[i].param, value = params[i].value;

		if (param < 1 || param > VIRTGPU_CONTEXT_PARAM_DEBUG_NAME ||
		    (seen & BIT_ULL(param)))
			return -EINVAL;
		seen |= BIT_ULL(param);

		switch (param) {
		case VIRTGPU_CONTEXT_PARAM_CAPSET_ID:
			if (value >= VIRTIO_GPU_MAX_CAPSETS ||
			    !(vgdev->capset_mask & BIT_ULL(value)))
				return -EINVAL;
			capset_id = value;
			break;
		case VIRTGPU_CONTEXT_PARAM_NUM_RINGS:
			if (!value || value > VIRTIO_GPU_MAX_RINGS)
				return -EINVAL;
			num_rings = value;
			break;
		case VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK:
			poll_mask = value;
			break;
		case VIRTGPU_CONTEXT_PARAM_DEBUG_NAME:
			if (name->len < 0)
				return name->len;
			break;
		}
	}

	/* Only rings the context has can be polled. */
	if (poll_mask & ~GENMASK_ULL(num_rings ? num_rings - 1 : 0, 0))
		return -EINVAL;
	if (poll_mask && !num_rings)
		return -EINVAL;

	if (seen & BIT_ULL(VIRTGPU_CONTEXT_PARAM_DEBUG_NAME)) {
		strscpy(vfpriv->debug_name, name->name, sizeof(vfpriv->debug_name));
		vfpriv->explicit_name = true;
	}
	return virtio_gpu_context_init_locked(vfpriv, capset_id, num_rings, poll_mask);
}

static int virtio_gpu_context_init_ioctl(struct drm_device *dev, void *data,
					 struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	struct virtio_gpu_fpriv *vfpriv = file->driver_priv;
	struct drm_virtgpu_context_init *args = data;
	struct drm_virtgpu_context_set_param *params;
	struct virtio_gpu_ctx_name name;
	int ret;

	if (!vgdev->has_context_init || !vgdev->has_virgl_3d)
		return -EINVAL;
	if (args->num_params > VIRTIO_GPU_CONTEXT_PARAMS_MAX)
		return -EINVAL;

	params = memdup_array_user(u64_to_user_ptr(args->ctx_set_params),
				   args->num_params, sizeof(*params));
	if (IS_ERR(params))
		return PTR_ERR(params);

	/*
	 * User memory is read before vfpriv->lock is taken: EXECBUFFER takes
	 * that lock inside the BOs' reservation locks, which a page fault
	 * may need.
	 */
	virtio_gpu_context_read_name(params, args->num_params, &name);
	mutex_lock(&vfpriv->lock);
	if (vfpriv->created_generation || vfpriv->context_init)
		ret = -EEXIST;
	else
		ret = virtio_gpu_context_params(vgdev, vfpriv, params, args->num_params,
						&name);
	mutex_unlock(&vfpriv->lock);

	kfree(params);
	return ret;
}

/* Makes the file's host context exist when the device does 3D. */
static int virtio_gpu_need_context(struct virtio_gpu_device *vgdev,
				   struct drm_file *file)
{
	if (!vgdev->has_virgl_3d)
		return 0;
	return virtio_gpu_context_ensure(file->driver_priv);
}

/* Creates an object with a fresh fence, and a handle for it. */
static int virtio_gpu_create_handle(struct virtio_gpu_device *vgdev,
				    struct drm_file *file,
				    const struct virtio_gpu_object_params *params,
				    u32 *bo_handle, u32 *res_handle)
{
	struct virtio_gpu_fence *fence;
	struct virtio_gpu_object *bo;
	int ret;

	fence = virtio_gpu_fence_alloc(vgdev, 0, 0);
	if (IS_ERR(fence))
		return PTR_ERR(fence);

	ret = virtio_gpu_object_create(vgdev, params, &bo, fence);
	if (ret)
		goto put_fence;

	ret = virtio_gpu_object_fence(bo, fence);
	if (!ret)
		ret = drm_gem_handle_create(file, &bo->base.base, bo_handle);
	if (!ret)
		*res_handle = bo->hw_res_handle;
	/* The handle, if any, holds the object now. */
	drm_gem_object_put(&bo->base.base);
put_fence:
	virtio_gpu_fence_put(fence);
	return ret;
}

static int virtio_gpu_resource_create_ioctl(struct drm_device *dev, void *data,
					    struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	struct virtio_gpu_fpriv *vfpriv = file->driver_priv;
	struct drm_virtgpu_resource_create *args = data;
	struct virtio_gpu_object_params params = {
		.format = args->format,
		.width = args->width,
		.height = args->height,
		.size = args->size,
	};
	int ret;

	if (vgdev->has_virgl_3d) {
		ret = virtio_gpu_need_context(vgdev, file);
		if (ret)
			return ret;
		params = (struct virtio_gpu_object_params) {
			.size = args->size, .format = args->format,
			.width = args->width, .height = args->height,
			.depth = args->depth, .array_size = args->array_size,
			.target = args->target, .bind = args->bind,
			.last_level = args->last_level,
			.nr_samples = args->nr_samples, .flags = args->flags,
			.ctx_id = vfpriv->ctx_id, .virgl = true,
		};
	} else if (args->depth > 1 || args->nr_samples > 1 ||
		   args->last_level > 1 || args->target != 2 ||
		   args->array_size > 1) {
		/* Without 3D only plain 2D textures exist. */
		return -EINVAL;
	}

	return virtio_gpu_create_handle(vgdev, file, &params, &args->bo_handle,
					&args->res_handle);
}

static int virtio_gpu_resource_info_ioctl(struct drm_device *dev, void *data,
					  struct drm_file *file)
{
	struct drm_virtgpu_resource_info *args = data;
	struct virtio_gpu_object *bo;
	struct drm_gem_object *obj;

	obj = drm_gem_object_lookup(file, args->bo_handle);
	if (!obj)
		return -ENOENT;
	bo = to_virtio_gpu_obj(obj);
	args->size = obj->size;
	args->res_handle = bo->hw_res_handle;
	args->blob_mem = bo->blob ? bo->blob_mem : 0;
	drm_gem_object_put(obj);
	return 0;
}

static int virtio_gpu_map_ioctl(struct drm_device *dev, void *data,
				struct drm_file *file)
{
	struct drm_virtgpu_map *args = data;
	struct drm_gem_object *obj;
	bool host_only;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	host_only = to_virtio_gpu_obj(obj)->blob &&
		    to_virtio_gpu_obj(obj)->blob_mem == VIRTGPU_BLOB_MEM_HOST3D;
	drm_gem_object_put(obj);

	/* Host-visible memory cannot be mapped yet. */
	if (host_only)
		return -EINVAL;
	return drm_gem_dumb_map_offset(file, dev, args->handle, &args->offset);
}

/* Looks up the object of a transfer and checks what it can transfer. */
static struct virtio_gpu_object *
virtio_gpu_transfer_object(struct drm_file *file, u32 handle, u32 stride,
			   u32 layer_stride, int *err)
{
	struct virtio_gpu_object *bo;
	struct drm_gem_object *obj;
	bool host3d;

	obj = drm_gem_object_lookup(file, handle);
	if (!obj) {
		*err = -ENOENT;
		return NULL;
	}
	bo = to_virtio_gpu_obj(obj);
	host3d = bo->blob && bo->blob_mem != VIRTGPU_BLOB_MEM_GUEST;

	/* Guest-only blobs have no host copy; strides are for host3d blobs. */
	if ((bo->blob && !host3d) || (!host3d && (stride || layer_stride))) {
		drm_gem_object_put(obj);
		*err = -EINVAL;
		return NULL;
	}
	return bo;
}

/*
 * Bytes per pixel of every 2D format (VIRTIO_GPU_FORMAT_*): all are 32 bits,
 * and the host lays a 2D resource out with a pitch of width * 4 bytes.
 */
#define VIRTIO_GPU_2D_CPP	4

/*
 * The end of what a TRANSFER_TO_HOST_2D reads from the backing, checked
 * for QEMU's virtio_gpu_transfer_to_host_2d(). QEMU checks the rectangle
 * against the resource itself, but then copies row r of the rectangle from
 * backing offset @offset + r * pitch (with the resource's pitch, for every
 * row, even an empty one) through iov_to_buf(); an offset beyond the
 * backing is an assertion in iov_to_buf_full() that aborts the VMM. Hence
 * the rectangle must lie in the resource and its last row in the object.
 */
static int virtio_gpu_transfer_end_2d(const struct virtio_gpu_object *bo,
				      const struct drm_virtgpu_3d_box *box,
				      u64 offset, u64 *end)
{
	u64 pitch = (u64)bo->width * VIRTIO_GPU_2D_CPP;
	u64 rows;

	if (box->x > bo->width || box->w > bo->width - box->x ||
	    box->y > bo->height || box->h > bo->height - box->y)
		return -EINVAL;

	*end = offset;
	if (!box->h)
		return 0;
	if (check_mul_overflow((u64)box->h - 1, pitch, &rows) ||
	    check_add_overflow(*end, rows, end) ||
	    check_add_overflow(*end, (u64)box->w * VIRTIO_GPU_2D_CPP, end))
		return -EINVAL;
	return 0;
}

/*
 * The least a 3D transfer touches, for virglrenderer's transfers
 * (virgl_renderer_transfer_write_iov() and _read_iov(), which QEMU's
 * virgl_cmd_transfer_to_host_3d() and _from_host_3d() call): from @offset,
 * layer l and row r of the box start at l * layer stride + r * stride.
 * virglrenderer checks the box against the resource itself; the driver
 * does not know the format of a virgl resource, so only what the request
 * states is counted. A stride of 0 asks the host for the level's own, as
 * Mesa always does, and counts nothing here; a layer stride of 0 asks for
 * one of at least the box's rows. Rows are counted in pixels, so a
 * block-compressed box near the end of a host3d blob would be refused with
 * an explicit stride. A box that is not empty touches at least one byte of
 * its last row; an empty one touches nothing, but its offset must still
 * lie in the object.
 */
static int virtio_gpu_transfer_end_3d(const struct drm_virtgpu_3d_box *box,
				      u64 offset, u32 stride, u32 layer_stride,
				      u64 *end)
{
	u64 layer = layer_stride ?: (u64)stride * box->h;
	u64 layers, rows;

	if (box->w > U32_MAX - box->x || box->h > U32_MAX - box->y ||
	    box->d > U32_MAX - box->z)
		return -EINVAL;

	*end = offset;
	if (!box->w || !box->h || !box->d)
		return 0;
	rows = ((u64)box->h - 1) * stride;
	if (check_mul_overflow((u64)box->d - 1, layer, &layers) ||
	    check_add_overflow(*end, layers, end) ||
	    check_add_overflow(*end, rows, end) ||
	    check_add_overflow(*end, 1, end))
		return -EINVAL;
	return 0;
}

/*
 * Checks a transfer against its object before anything goes to the host:
 * the bytes the host would touch must lie in the object; on a 2D device
 * the box must lie in the resource, with 3D the box's coordinates must not
 * wrap. The level is left to the host: on a 2D device it is not sent, and
 * with virgl minigbm passes the row pitch of its buffers in it.
 */
static int virtio_gpu_transfer_check(struct virtio_gpu_device *vgdev,
				     const struct virtio_gpu_object *bo,
				     const struct drm_virtgpu_3d_box *box,
				     u64 offset, u32 stride, u32 layer_stride)
{
	u64 end;
	int ret;

	if (vgdev->has_virgl_3d)
		ret = virtio_gpu_transfer_end_3d(box, offset, stride, layer_stride, &end);
	else
		ret = virtio_gpu_transfer_end_2d(bo, box, offset, &end);
	if (ret)
		return ret;
	return end <= bo->base.base.size ? 0 : -EINVAL;
}

static int virtio_gpu_transfer_ioctl(struct drm_device *dev, struct drm_file *file,
				     u32 handle, const struct drm_virtgpu_3d_box *ubox,
				     u32 offset, u32 level, u32 stride,
				     u32 layer_stride, bool to_host)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	struct virtio_gpu_fpriv *vfpriv = file->driver_priv;
	struct virtio_gpu_fence *fence;
	struct virtio_gpu_object *bo;
	int ret;

	if (!to_host && !vgdev->has_virgl_3d)
		return -ENOSYS;

	/* Without 3D the strides are not sent; the base driver ignores them too. */
	if (!vgdev->has_virgl_3d) {
		stride = 0;
		layer_stride = 0;
	}

	bo = virtio_gpu_transfer_object(file, handle, stride, layer_stride, &ret);
	if (!bo)
		return ret;

	ret = virtio_gpu_transfer_check(vgdev, bo, ubox, offset, stride, layer_stride);
	if (!ret)
		ret = virtio_gpu_reset_wait(vgdev);
	if (!ret)
		ret = virtio_gpu_object_lost(bo);
	if (ret)
		goto put;

	ret = virtio_gpu_need_context(vgdev, file);
	if (ret)
		goto put;

	fence = virtio_gpu_fence_alloc(vgdev, 0, 0);
	if (IS_ERR(fence)) {
		ret = PTR_ERR(fence);
		goto put;
	}
	if (to_host)
		ret = virtio_gpu_cmd_transfer_to_host(vgdev, bo, vfpriv->ctx_id, ubox,
						      offset, level, stride,
						      layer_stride, fence);
	else
		ret = virtio_gpu_cmd_transfer_from_host(vgdev, bo, vfpriv->ctx_id, ubox,
							offset, level, stride,
							layer_stride, fence);
	if (!ret)
		ret = virtio_gpu_object_fence(bo, fence);
	virtio_gpu_fence_put(fence);
put:
	drm_gem_object_put(&bo->base.base);
	return ret;
}

static int virtio_gpu_transfer_to_host_ioctl(struct drm_device *dev, void *data,
					     struct drm_file *file)
{
	struct drm_virtgpu_3d_transfer_to_host *args = data;

	return virtio_gpu_transfer_ioctl(dev, file, args->bo_handle, &args->box,
					 args->offset, args->level, args->stride,
					 args->layer_stride, true);
}

static int virtio_gpu_transfer_from_host_ioctl(struct drm_device *dev, void *data,
					       struct drm_file *file)
{
	struct drm_virtgpu_3d_transfer_from_host *args = data;

	return virtio_gpu_transfer_ioctl(dev, file, args->bo_handle, &args->box,
					 args->offset, args->level, args->stride,
					 args->layer_stride, false);
}

static int virtio_gpu_wait_ioctl(struct drm_device *dev, void *data,
				 struct drm_file *file)
{
	struct drm_virtgpu_3d_wait *args = data;
	struct drm_gem_object *obj;
	long ret;

	if (args->flags & ~VIRTGPU_WAIT_NOWAIT)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	if (args->flags & VIRTGPU_WAIT_NOWAIT)
		ret = dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_READ);
	else
		ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_READ, true,
					    VIRTIO_GPU_WAIT_TIMEOUT);
	drm_gem_object_put(obj);

	if (ret < 0)
		return ret;
	return ret ? 0 : -EBUSY;
}

static int virtio_gpu_check_blob(struct virtio_gpu_device *vgdev,
				 const struct drm_virtgpu_resource_create_blob *args)
{
	bool host3d;

	if (!vgdev->has_resource_blob)
		return -EINVAL;
	if (args->blob_flags & ~VIRTIO_GPU_BLOB_FLAGS)
		return -EINVAL;
	if ((args->blob_flags & VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE) &&
	    !vgdev->has_resource_uuid)
		return -EINVAL;
	if (!args->size)
		return -EINVAL;

	switch (args->blob_mem) {
	case VIRTGPU_BLOB_MEM_GUEST:
		host3d = false;
		break;
	case VIRTGPU_BLOB_MEM_HOST3D:
	case VIRTGPU_BLOB_MEM_HOST3D_GUEST:
		host3d = true;
		break;
	default:
		return -EINVAL;
	}

	if (host3d)
		return vgdev->has_virgl_3d && !(args->cmd_size % 4) ? 0 : -EINVAL;
	/* A guest blob carries no host command and no host blob id. */
	return args->blob_id || args->cmd_size ? -EINVAL : 0;
}

static int virtio_gpu_resource_create_blob_ioctl(struct drm_device *dev, void *data,
						 struct drm_file *file)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	struct virtio_gpu_fpriv *vfpriv = file->driver_priv;
	struct drm_virtgpu_resource_create_blob *args = data;
	struct virtio_gpu_object_params params = {
		.blob = true,
		.blob_mem = args->blob_mem,
		.blob_flags = args->blob_flags,
		.size = args->size,
	};
	int ret;

	ret = virtio_gpu_check_blob(vgdev, args);
	if (ret)
		return ret;

	ret = virtio_gpu_need_context(vgdev, file);
	if (ret)
		return ret;

	if (args->blob_mem != VIRTGPU_BLOB_MEM_GUEST) {
		params.ctx_id = vfpriv->ctx_id;
		params.blob_id = args->blob_id;
	}

	if (args->cmd_size) {
		void *cmds = memdup_user(u64_to_user_ptr(args->cmd), args->cmd_size);

		if (IS_ERR(cmds))
			return PTR_ERR(cmds);
		/* The host makes the blob with these commands first. */
		ret = virtio_gpu_cmd_submit_3d(vgdev, vfpriv->ctx_id, cmds,
					       args->cmd_size, NULL);
		kfree(cmds);
		if (ret)
			return ret;
	}

	return virtio_gpu_create_handle(vgdev, file, &params, &args->bo_handle,
					&args->res_handle);
}

/**
 * virtio_gpu_dumb_create - &drm_driver.dumb_create: a linear XRGB8888 buffer
 * @file: the DRM file
 * @dev: the DRM device
 * @args: the request; the DRM core already refused a width, height or bpp
 * of 0 and a pitch or size that does not fit in 32 bits
 *
 * Makes a 2D resource of the host's XRGB8888 and the object backing it,
 * tightly packed (a pitch of width * 4 bytes); on a device with blobs and
 * without 3D, a shareable guest blob instead, as the base driver does.
 * Only 32 bits per pixel exist.
 *
 * Returns: 0, -EINVAL for a bpp other than 32 or a size that overflows, or
 * the error of creating the resource.
 */
int virtio_gpu_dumb_create(struct drm_file *file, struct drm_device *dev,
			   struct drm_mode_create_dumb *args)
{
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dev);
	struct virtio_gpu_object_params params = {
		.format = IS_ENABLED(CONFIG_CPU_BIG_ENDIAN) ?
			  VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM :
			  VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
		.width = args->width,
		.height = args->height,
	};
	u32 pitch, res_handle;
	int ret;

	if (args->bpp != 32)
		return -EINVAL;
	if (check_mul_overflow(args->width, 4U, &pitch))
		return -EINVAL;
	params.size = PAGE_ALIGN((u64)pitch * args->height);

	if (vgdev->has_resource_blob && !vgdev->has_virgl_3d) {
		params.blob = true;
		params.blob_mem = VIRTGPU_BLOB_MEM_GUEST;
		params.blob_flags = VIRTGPU_BLOB_FLAG_USE_SHAREABLE;
		params.width = 0;
		params.height = 0;
	}

	ret = virtio_gpu_create_handle(vgdev, file, &params, &args->handle,
				       &res_handle);
	if (ret)
		return ret;
	args->pitch = pitch;
	args->size = params.size;
	return 0;
}

#define VIRTIO_GPU_IOCTL(name, func) \
	DRM_IOCTL_DEF_DRV(VIRTGPU_##name, func, DRM_RENDER_ALLOW)

/* The driver's ioctls, indexed by DRM_VIRTGPU_* (entry 0 is unused). */
const struct drm_ioctl_desc virtio_gpu_ioctls[VIRTIO_GPU_NUM_IOCTLS] = {
	VIRTIO_GPU_IOCTL(MAP, virtio_gpu_map_ioctl),
	VIRTIO_GPU_IOCTL(EXECBUFFER, virtio_gpu_execbuffer_ioctl),
	VIRTIO_GPU_IOCTL(GETPARAM, virtio_gpu_getparam_ioctl),
	VIRTIO_GPU_IOCTL(RESOURCE_CREATE, virtio_gpu_resource_create_ioctl),
	VIRTIO_GPU_IOCTL(RESOURCE_INFO, virtio_gpu_resource_info_ioctl),
	VIRTIO_GPU_IOCTL(TRANSFER_FROM_HOST, virtio_gpu_transfer_from_host_ioctl),
	VIRTIO_GPU_IOCTL(TRANSFER_TO_HOST, virtio_gpu_transfer_to_host_ioctl),
	VIRTIO_GPU_IOCTL(WAIT, virtio_gpu_wait_ioctl),
	VIRTIO_GPU_IOCTL(GET_CAPS, virtio_gpu_get_caps_ioctl),
	VIRTIO_GPU_IOCTL(RESOURCE_CREATE_BLOB, virtio_gpu_resource_create_blob_ioctl),
	VIRTIO_GPU_IOCTL(CONTEXT_INIT, virtio_gpu_context_init_ioctl),
};
