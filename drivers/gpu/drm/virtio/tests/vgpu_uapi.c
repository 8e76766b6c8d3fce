// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Helpers of the virtio_gpu_uapi_* suites.
 *
 * Ioctls go through drm_ioctl(), the entry point of a real process, with
 * their argument copied to and from a scratch page of the test thread's
 * user memory, so the ioctl table's sizes, directions and render-node
 * permissions are part of what is tested. Files, fds and fences are
 * released by deferred actions registered right after their creation.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_syncobj.h>

#include "vgpu_uapi.h"

/* The command stream every submission of the suites carries. */
static const u32 vu_stream[4] = { 0x5eed0001, 0x5eed0002, 0x5eed0003, 0x5eed0004 };

/**
 * vu_create - bind the driver to a fake device and map user memory
 * @test: the test
 * @cfg: the device's configuration
 *
 * Return: the test's &struct vu, owned by @test. The test fails when the
 * driver does not bind; it is skipped when the thread gets no user memory.
 */
struct vu *vu_create(struct kunit *test, const struct vgpu_fake_host_config *cfg)
{
	struct vu *u;

	u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, u);
	u->test = test;
	u->t = vgt_create(test, cfg);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));

	u->ubase = kunit_vm_mmap(test, NULL, 0, VU_USER_BYTES + PAGE_SIZE,
				 PROT_READ | PROT_WRITE,
				 MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!u->ubase || IS_ERR_VALUE(u->ubase))
		kunit_skip(test, "no user memory for the test thread");
	u->scratch = (void __user *)(u->ubase + VU_USER_BYTES);
	return u;
}

/**
 * vu_create_features - vu_create() with the usual capsets and @features
 * @test: the test
 * @features: VGPU_FAKE_F_* masks the device offers
 *
 * Return: the test's &struct vu, owned by @test.
 */
struct vu *vu_create_features(struct kunit *test, u64 features)
{
	struct vgpu_fake_host_config cfg;

	vgt_config(&cfg, features);
	return vu_create(test, &cfg);
}

/**
 * vu_create_dev - vu_create() of a named device configuration
 * @test: the test
 * @d: the configuration
 *
 * Return: the test's &struct vu, owned by @test.
 */
struct vu *vu_create_dev(struct kunit *test, const struct vu_dev *d)
{
	struct vgpu_fake_host_config cfg;

	vgt_config(&cfg, d->features);
	if (!d->capsets)
		cfg.num_capsets = 0;
	return vu_create(test, &cfg);
}

/**
 * vu_create_3d - vu_create_features() with every feature
 * @test: the test
 *
 * Return: the test's &struct vu, owned by @test.
 */
struct vu *vu_create_3d(struct kunit *test)
{
	return vu_create_features(test, VU_F_ALL);
}

static const struct vu_dev vu_2d_3d_devs[] = {
	{ "2d", VU_F_2D, true },
	{ "3d", VU_F_ALL, true },
};

KUNIT_ARRAY_PARAM_DESC(vu_2d_3d_devs, vu_2d_3d_devs, desc);

/**
 * vu_2d_3d_gen_params - a 2D and a 3D device, as test parameters
 * @prev: the previous parameter, NULL for the first
 * @desc: set to the parameter's name
 *
 * The parameters are &struct vu_dev, with the usual capsets.
 *
 * Return: the next parameter, NULL after the last.
 */
const void *vu_2d_3d_gen_params(const void *prev, char *desc)
{
	return vu_2d_3d_devs_gen_params(prev, desc);
}

/*
 * The file closes at the end of the test. Closing waits for the jobs the
 * host still has (virtio_gpu_rings_teardown()); the test is over, so the
 * host first finishes whatever it still holds.
 */
static void vu_fput_at_exit(void *data)
{
	struct file *file = data;
	struct drm_file *dfile = file->private_data;
	struct virtio_gpu_device *vgdev = to_virtio_gpu(dfile->minor->dev);
	struct vgpu_fake_host *host = vgpu_fake_host_of(vgdev->vdev);

	vgpu_fake_host_release_queue(host);
	vgpu_fake_host_release_all(host);
	__fput_sync(file);
}

/**
 * vu_open_minor - open a node of the device
 * @u: the test's device
 * @minor: the node
 *
 * Return: the file; an action closes it, or vu_close() earlier.
 */
struct file *vu_open_minor(struct vu *u, struct drm_minor *minor)
{
	struct file *file;

	KUNIT_ASSERT_NOT_NULL(u->test, minor);
	file = mock_drm_getfile(minor, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(u->test, file);
	KUNIT_ASSERT_EQ(u->test, kunit_add_action_or_reset(u->test, vu_fput_at_exit, file),
			0);
	return file;
}

/**
 * vu_open - open the render node of the device
 * @u: the test's device
 *
 * Return: the file; an action closes it, or vu_close() earlier.
 */
struct file *vu_open(struct vu *u)
{
	struct drm_device *drm = &u->t->vgdev->ddev;

	return vu_open_minor(u, drm->render ?: drm->primary);
}

/**
 * vu_open_primary - open the primary node of the device
 * @u: the test's device
 *
 * For the core ioctls a render node refuses, such as the dumb buffers'.
 *
 * Return: the file; an action closes it, or vu_close() earlier.
 */
struct file *vu_open_primary(struct vu *u)
{
	return vu_open_minor(u, u->t->vgdev->ddev.primary);
}

/**
 * vu_close - close a file of vu_open() now, as its last user would
 * @u: the test's device
 * @file: the file; it must not be used afterwards
 */
void vu_close(struct vu *u, struct file *file)
{
	kunit_remove_action(u->test, vu_fput_at_exit, file);
	__fput_sync(file);
}

/**
 * vu_fpriv - the driver's state of a file
 * @file: a file of vu_open()
 *
 * Return: the file's &struct virtio_gpu_fpriv.
 */
struct virtio_gpu_fpriv *vu_fpriv(struct file *file)
{
	struct drm_file *dfile = file->private_data;

	return dfile->driver_priv;
}

/**
 * vu_ctx_id - the host context id of a file
 * @file: a file of vu_open()
 *
 * Return: the context id the driver gave the file.
 */
u32 vu_ctx_id(struct file *file)
{
	return vu_fpriv(file)->ctx_id;
}

/**
 * vu_ualloc - take zeroed user memory
 * @u: the test's device
 * @len: bytes
 *
 * Return: a user address, 8-byte aligned, valid until the end of the test.
 */
void __user *vu_ualloc(struct vu *u, size_t len)
{
	size_t off = ALIGN(u->uoff, 8);
	void __user *p;

	KUNIT_ASSERT_LE_MSG(u->test, off + len, VU_USER_BYTES,
			    "the test used up its user memory");
	u->uoff = off + len;
	p = (void __user *)(u->ubase + off);
	KUNIT_ASSERT_EQ(u->test, clear_user(p, len), 0);
	return p;
}

/**
 * vu_ucopy - copy kernel data into fresh user memory
 * @u: the test's device
 * @src: the data
 * @len: its size
 *
 * Return: the user address of the copy.
 */
void __user *vu_ucopy(struct vu *u, const void *src, size_t len)
{
	void __user *p = vu_ualloc(u, len);

	KUNIT_ASSERT_EQ(u->test, copy_to_user(p, src, len), 0);
	return p;
}

/**
 * vu_ubad - a user address nothing is mapped at
 * @u: the test's device
 *
 * Return: the start of a page that was mapped and unmapped again.
 */
void __user *vu_ubad(struct vu *u)
{
	unsigned long addr;

	addr = kunit_vm_mmap(u->test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(u->test, !addr || IS_ERR_VALUE(addr));
	KUNIT_ASSERT_EQ(u->test, vm_munmap(addr, PAGE_SIZE), 0);
	return (void __user *)addr;
}

/**
 * vu_uptr - a user address as the UAPI carries it
 * @p: the address
 *
 * Return: @p as a u64.
 */
u64 vu_uptr(const void __user *p)
{
	return (u64)(uintptr_t)p;
}

/**
 * vu_ioctl - issue an ioctl on a file as a process would
 * @u: the test's device
 * @file: the file
 * @cmd: DRM_IOCTL_*
 * @arg: the argument, _IOC_SIZE(@cmd) bytes, updated with what the ioctl
 * wrote back
 *
 * Return: what drm_ioctl() returned.
 */
int vu_ioctl(struct vu *u, struct file *file, unsigned int cmd, void *arg)
{
	size_t size = _IOC_SIZE(cmd);
	long ret;

	KUNIT_ASSERT_LE(u->test, size, PAGE_SIZE);
	KUNIT_ASSERT_EQ(u->test, copy_to_user(u->scratch, arg, size), 0);
	ret = drm_ioctl(file, cmd, (unsigned long)u->scratch);
	KUNIT_ASSERT_EQ(u->test, copy_from_user(arg, u->scratch, size), 0);
	return ret;
}

/**
 * vu_getparam - DRM_IOCTL_VIRTGPU_GETPARAM
 * @u: the test's device
 * @file: the file
 * @param: VIRTGPU_PARAM_*
 * @value: set to the value read, on success
 *
 * Return: the ioctl's result.
 */
int vu_getparam(struct vu *u, struct file *file, u64 param, int *value)
{
	int __user *uval = vu_ualloc(u, sizeof(*uval));
	struct drm_virtgpu_getparam gp = {
		.param = param,
		.value = vu_uptr(uval),
	};
	int ret;

	ret = vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
	if (!ret)
		KUNIT_ASSERT_EQ(u->test, copy_from_user(value, uval, sizeof(*value)), 0);
	return ret;
}

/**
 * vu_get_caps - DRM_IOCTL_VIRTGPU_GET_CAPS
 * @u: the test's device
 * @file: the file
 * @id: capset id
 * @version: capset version
 * @addr: user buffer
 * @size: size given to the ioctl
 *
 * Return: the ioctl's result.
 */
int vu_get_caps(struct vu *u, struct file *file, u32 id, u32 version,
		void __user *addr, u32 size)
{
	struct drm_virtgpu_get_caps gc = {
		.cap_set_id = id,
		.cap_set_ver = version,
		.addr = vu_uptr(addr),
		.size = size,
	};

	return vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc);
}

/**
 * vu_context_init - DRM_IOCTL_VIRTGPU_CONTEXT_INIT
 * @u: the test's device
 * @file: the file
 * @params: the parameters
 * @n: entries in @params
 *
 * Return: the ioctl's result.
 */
int vu_context_init(struct vu *u, struct file *file,
		    const struct drm_virtgpu_context_set_param *params, u32 n)
{
	struct drm_virtgpu_context_init ci = { .num_params = n };

	if (n)
		ci.ctx_set_params = vu_uptr(vu_ucopy(u, params, n * sizeof(*params)));
	return vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci);
}

/**
 * vu_rings - initialise a file's context with rings
 * @u: the test's device
 * @file: the file
 * @num_rings: rings of the context
 * @poll_mask: rings that send events, 0 for none
 *
 * Fails the test unless CONTEXT_INIT succeeds.
 */
void vu_rings(struct vu *u, struct file *file, u32 num_rings, u64 poll_mask)
{
	struct drm_virtgpu_context_set_param p[2] = {
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, num_rings },
		{ VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, poll_mask },
	};

	KUNIT_ASSERT_EQ(u->test, vu_context_init(u, file, p, poll_mask ? 2 : 1), 0);
}

/**
 * vu_rc_2d - arguments of a one-page 32x32 2D texture
 * @rc: filled in
 */
void vu_rc_2d(struct drm_virtgpu_resource_create *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->target = 2;
	rc->format = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
	rc->width = 32;
	rc->height = 32;
	rc->depth = 1;
	rc->array_size = 1;
	rc->size = PAGE_SIZE;
	rc->stride = 32 * 4;
}

/**
 * vu_resource_create - DRM_IOCTL_VIRTGPU_RESOURCE_CREATE
 * @u: the test's device
 * @file: the file
 * @rc: the arguments; the handles are written back
 *
 * Return: the ioctl's result.
 */
int vu_resource_create(struct vu *u, struct file *file,
		       struct drm_virtgpu_resource_create *rc)
{
	return vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, rc);
}

/**
 * vu_resource_create_blob - DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB
 * @u: the test's device
 * @file: the file
 * @b: the arguments; the handles are written back
 *
 * Return: the ioctl's result.
 */
int vu_resource_create_blob(struct vu *u, struct file *file,
			    struct drm_virtgpu_resource_create_blob *b)
{
	return vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, b);
}

/**
 * vu_resource_info - DRM_IOCTL_VIRTGPU_RESOURCE_INFO
 * @u: the test's device
 * @file: the file
 * @handle: BO handle
 * @ri: set to the answer
 *
 * Return: the ioctl's result.
 */
int vu_resource_info(struct vu *u, struct file *file, u32 handle,
		     struct drm_virtgpu_resource_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->bo_handle = handle;
	return vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, ri);
}

/**
 * vu_gem_close - DRM_IOCTL_GEM_CLOSE
 * @u: the test's device
 * @file: the file
 * @handle: BO handle
 *
 * Return: the ioctl's result.
 */
int vu_gem_close(struct vu *u, struct file *file, u32 handle)
{
	struct drm_gem_close c = { .handle = handle };

	return vu_ioctl(u, file, DRM_IOCTL_GEM_CLOSE, &c);
}

/**
 * vu_bo - create a one-page texture
 * @u: the test's device
 * @file: the file
 *
 * Return: its BO handle; the test fails when creation fails.
 */
u32 vu_bo(struct vu *u, struct file *file)
{
	struct drm_virtgpu_resource_create rc;

	vu_rc_2d(&rc);
	KUNIT_ASSERT_EQ(u->test, vu_resource_create(u, file, &rc), 0);
	return rc.bo_handle;
}

/**
 * vu_wait - DRM_IOCTL_VIRTGPU_WAIT
 * @u: the test's device
 * @file: the file
 * @handle: BO handle
 * @flags: VIRTGPU_WAIT_*
 *
 * Return: the ioctl's result.
 */
int vu_wait(struct vu *u, struct file *file, u32 handle, u32 flags)
{
	struct drm_virtgpu_3d_wait w = { .handle = handle, .flags = flags };

	return vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_WAIT, &w);
}

/**
 * vu_transfer_to_host - DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST
 * @u: the test's device
 * @file: the file
 * @t: the arguments
 *
 * Return: the ioctl's result.
 */
int vu_transfer_to_host(struct vu *u, struct file *file,
			struct drm_virtgpu_3d_transfer_to_host *t)
{
	return vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, t);
}

static void vu_fd_close(void *data)
{
	close_fd((unsigned int)(uintptr_t)data);
}

/**
 * vu_track_fd - close an fd of the test thread at the end of the test
 * @u: the test's device
 * @fd: the fd
 */
void vu_track_fd(struct vu *u, int fd)
{
	KUNIT_ASSERT_GE(u->test, fd, 0);
	KUNIT_ASSERT_EQ(u->test, kunit_add_action_or_reset(u->test, vu_fd_close,
							   (void *)(uintptr_t)fd), 0);
}

/**
 * vu_execbuffer - DRM_IOCTL_VIRTGPU_EXECBUFFER
 * @u: the test's device
 * @file: the file
 * @eb: the arguments; a command of 0 with a size of 0 gets the suites'
 * stream. An out-fence fd is closed by an action.
 *
 * Return: the ioctl's result.
 */
int vu_execbuffer(struct vu *u, struct file *file,
		  struct drm_virtgpu_execbuffer *eb)
{
	int ret;

	if (!eb->command && !eb->size) {
		eb->command = vu_uptr(vu_ucopy(u, vu_stream, sizeof(vu_stream)));
		eb->size = sizeof(vu_stream);
	}
	ret = vu_ioctl(u, file, DRM_IOCTL_VIRTGPU_EXECBUFFER, eb);
	if (!ret && (eb->flags & VIRTGPU_EXECBUF_FENCE_FD_OUT))
		vu_track_fd(u, eb->fence_fd);
	return ret;
}

/**
 * vu_exec_init - a submission on the global timeline with an out-fence
 * @x: filled in
 */
void vu_exec_init(struct vu_exec *x)
{
	memset(x, 0, sizeof(*x));
	x->flags = VIRTGPU_EXECBUF_FENCE_FD_OUT;
	x->in_fd = -1;
	x->out_fd = -1;
}

/**
 * vu_submit - submit the suites' stream
 * @u: the test's device
 * @file: the file
 * @x: what to submit; @x->out_fd is set
 *
 * Return: the ioctl's result.
 */
int vu_submit(struct vu *u, struct file *file, struct vu_exec *x)
{
	struct drm_virtgpu_execbuffer eb = {
		.flags = x->flags,
		.ring_idx = x->ring_idx,
		.num_bo_handles = x->num_bos,
		.fence_fd = -1,
	};
	int ret;

	if (x->num_bos)
		eb.bo_handles = vu_uptr(vu_ucopy(u, x->bos, x->num_bos * sizeof(u32)));
	if (x->in_fd >= 0) {
		eb.flags |= VIRTGPU_EXECBUF_FENCE_FD_IN;
		eb.fence_fd = x->in_fd;
	}
	ret = vu_execbuffer(u, file, &eb);
	x->out_fd = !ret && (eb.flags & VIRTGPU_EXECBUF_FENCE_FD_OUT) ? eb.fence_fd : -1;
	return ret;
}

/**
 * vu_ring_job - submit the suites' stream on a ring, with an out-fence
 * @u: the test's device
 * @file: the file
 * @ring: the ring of @file's context
 * @bos: BO handles the job uses, or NULL
 * @num_bos: entries in @bos
 * @x: filled in; @x->out_fd is set
 *
 * Return: the ioctl's result.
 */
int vu_ring_job(struct vu *u, struct file *file, u32 ring, const u32 *bos, u32 num_bos,
		struct vu_exec *x)
{
	vu_exec_init(x);
	x->flags |= VIRTGPU_EXECBUF_RING_IDX;
	x->ring_idx = ring;
	x->bos = bos;
	x->num_bos = num_bos;
	return vu_submit(u, file, x);
}

/**
 * vu_out_fence - the out-fence of a submission
 * @u: the test's device
 * @x: a submission vu_submit() made with VIRTGPU_EXECBUF_FENCE_FD_OUT
 *
 * Return: the fence of @x->out_fd, released by an action; the test fails
 * when @x has no out-fence.
 */
struct dma_fence *vu_out_fence(struct vu *u, const struct vu_exec *x)
{
	return vu_fd_fence(u, x->out_fd);
}

/**
 * vu_blocked_job - submit a job on ring 0 that waits for a fence
 * @u: the test's device
 * @file: the file; its context gets one ring
 * @in: the in-fence, one the test signals (vu_foreign_fence())
 *
 * Return: the job's out-fence, released by an action.
 */
struct dma_fence *vu_blocked_job(struct vu *u, struct file *file, struct dma_fence *in)
{
	struct vu_exec x;

	vu_rings(u, file, 1, 0);
	vu_exec_init(&x);
	x.flags |= VIRTGPU_EXECBUF_RING_IDX;
	x.in_fd = vu_fence_fd(u, in);
	KUNIT_ASSERT_EQ(u->test, vu_submit(u, file, &x), 0);
	return vu_fd_fence(u, x.out_fd);
}

/**
 * vu_host_submits - wait until the host executed some SUBMIT_3D commands
 * @u: the test's device
 * @count: how many since the device was created
 *
 * Return: false on timeout.
 */
bool vu_host_submits(struct vu *u, unsigned int count)
{
	return vgpu_fake_host_wait_cmds(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D, count) &&
	       vgt_settle(u->t);
}

/**
 * vu_count - commands of a type the host took, once it settled
 * @u: the test's device
 * @type: a VIRTIO_GPU_CMD_* type
 *
 * Lets the host answer what it can first (vgt_settle()); the test fails
 * when it does not catch up in time.
 *
 * Return: how many commands of @type the host took from its queues.
 */
unsigned int vu_count(struct vu *u, u32 type)
{
	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	return vgpu_fake_host_cmd_count(u->t->host, type);
}

/**
 * vu_host_cmds - commands of any type the host took, once it settled
 * @u: the test's device
 *
 * Return: how many commands the host took from its queues.
 */
unsigned int vu_host_cmds(struct vu *u)
{
	unsigned int group, idx, n;

	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	/* Type 0 stands for the commands of no known group. */
	n = vgpu_fake_host_cmd_count(u->t->host, 0);
	for (group = 1; group <= 3; group++)
		for (idx = 0; idx < 16; idx++)
			n += vgpu_fake_host_cmd_count(u->t->host, group << 8 | idx);
	return n;
}

/**
 * vu_host_res - the host's view of a resource, which must exist
 * @u: the test's device
 * @res_id: the resource id
 * @info: set to what the host knows of it, or NULL
 *
 * Lets the host answer what it can first (vgt_settle()); the test fails
 * when it does not catch up in time or has no such resource.
 */
void vu_host_res(struct vu *u, u32 res_id, struct vgpu_fake_res_info *info)
{
	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	KUNIT_ASSERT_TRUE_MSG(u->test, vgpu_fake_host_get_res(u->t->host, res_id, info),
			      "the host has no resource %u", res_id);
}

/**
 * vu_sobj - an entry of EXECBUFFER's in or out syncobj array
 * @handle: syncobj handle
 * @flags: VIRTGPU_EXECBUF_SYNCOBJ_* flags
 * @point: timeline point, 0 for a binary syncobj
 *
 * Return: the entry.
 */
struct drm_virtgpu_execbuffer_syncobj vu_sobj(u32 handle, u32 flags, u64 point)
{
	return (struct drm_virtgpu_execbuffer_syncobj){
		.handle = handle, .flags = flags, .point = point,
	};
}

/**
 * vu_syncobj - DRM_IOCTL_SYNCOBJ_CREATE
 * @u: the test's device
 * @file: the file; the syncobj goes away with it
 * @signalled: create it with a signalled fence
 *
 * Return: the handle; the test fails when creation fails.
 */
u32 vu_syncobj(struct vu *u, struct file *file, bool signalled)
{
	struct drm_syncobj_create c = {
		.flags = signalled ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
	};

	KUNIT_ASSERT_EQ(u->test, vu_ioctl(u, file, DRM_IOCTL_SYNCOBJ_CREATE, &c), 0);
	return c.handle;
}

KUNIT_DEFINE_ACTION_WRAPPER(vu_fence_put, dma_fence_put, struct dma_fence *);

/**
 * vu_syncobj_fence - the fence of a syncobj (point)
 * @u: the test's device
 * @file: the file
 * @handle: syncobj handle
 * @point: timeline point, 0 for the binary fence
 *
 * Return: the fence, released by an action, or NULL when there is none.
 */
struct dma_fence *vu_syncobj_fence(struct vu *u, struct file *file, u32 handle,
				   u64 point)
{
	struct dma_fence *fence;

	if (drm_syncobj_find_fence(file->private_data, handle, point, 0, &fence))
		return NULL;
	KUNIT_ASSERT_EQ(u->test, kunit_add_action_or_reset(u->test, vu_fence_put, fence), 0);
	return fence;
}

/**
 * vu_syncobj_query - DRM_IOCTL_SYNCOBJ_QUERY of one timeline syncobj
 * @u: the test's device
 * @file: the file
 * @handle: syncobj handle
 * @point: set to the last signalled point
 *
 * Return: the ioctl's result.
 */
int vu_syncobj_query(struct vu *u, struct file *file, u32 handle, u64 *point)
{
	u64 __user *upoint = vu_ualloc(u, sizeof(*upoint));
	struct drm_syncobj_timeline_array a = {
		.handles = vu_uptr(vu_ucopy(u, &handle, sizeof(handle))),
		.points = vu_uptr(upoint),
		.count_handles = 1,
	};
	int ret;

	ret = vu_ioctl(u, file, DRM_IOCTL_SYNCOBJ_QUERY, &a);
	if (!ret)
		KUNIT_ASSERT_EQ(u->test, copy_from_user(point, upoint, sizeof(*point)), 0);
	return ret;
}

/**
 * vu_syncobj_signal - DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL of one point
 * @u: the test's device
 * @file: the file
 * @handle: syncobj handle
 * @point: the point to add, signalled
 *
 * Return: the ioctl's result.
 */
int vu_syncobj_signal(struct vu *u, struct file *file, u32 handle, u64 point)
{
	struct drm_syncobj_timeline_array a = {
		.handles = vu_uptr(vu_ucopy(u, &handle, sizeof(handle))),
		.points = vu_uptr(vu_ucopy(u, &point, sizeof(point))),
		.count_handles = 1,
	};

	return vu_ioctl(u, file, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

/**
 * vu_fd_fence - the fence of a sync_file fd
 * @u: the test's device
 * @fd: the fd
 *
 * Return: the fence, released by an action; the test fails when @fd is
 * no sync_file.
 */
struct dma_fence *vu_fd_fence(struct vu *u, int fd)
{
	struct dma_fence *fence = sync_file_get_fence(fd);

	KUNIT_ASSERT_NOT_NULL_MSG(u->test, fence, "fd %d is no sync_file", fd);
	KUNIT_ASSERT_EQ(u->test, kunit_add_action_or_reset(u->test, vu_fence_put, fence), 0);
	return fence;
}

/**
 * struct vu_fence - a fence of the test, foreign to the driver
 * @base: the fence
 * @lock: its lock
 */
struct vu_fence {
	struct dma_fence base;
	spinlock_t lock; /* @base */
};

static const char *vu_fence_driver(struct dma_fence *f)
{
	return "vgpu-uapi";
}

static const char *vu_fence_timeline(struct dma_fence *f)
{
	return "test";
}

static const struct dma_fence_ops vu_fence_ops = {
	.get_driver_name = vu_fence_driver,
	.get_timeline_name = vu_fence_timeline,
};

static void vu_fence_end(void *data)
{
	struct dma_fence *f = data;

	/* Nothing may wait for it forever. */
	if (!dma_fence_is_signaled(f)) {
		dma_fence_set_error(f, -ECANCELED);
		dma_fence_signal(f);
	}
	dma_fence_put(f);
}

/**
 * vu_foreign_fence - a fence only the test signals
 * @u: the test's device
 *
 * Signal it with dma_fence_signal(). An action signals it (with
 * -ECANCELED) if the test did not, then drops it.
 *
 * Return: the fence.
 */
struct dma_fence *vu_foreign_fence(struct vu *u)
{
	struct vu_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(u->test, f);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &vu_fence_ops, &f->lock, dma_fence_context_alloc(1), 1);
	KUNIT_ASSERT_EQ(u->test, kunit_add_action_or_reset(u->test, vu_fence_end,
							   &f->base), 0);
	return &f->base;
}

/**
 * vu_fence_fd - export a fence as a sync_file fd
 * @u: the test's device
 * @fence: the fence; the sync_file takes its own reference
 *
 * Return: the fd, closed by an action.
 */
int vu_fence_fd(struct vu *u, struct dma_fence *fence)
{
	struct sync_file *sf = sync_file_create(fence);
	int fd;

	KUNIT_ASSERT_NOT_NULL(u->test, sf);
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		fput(sf->file);
	KUNIT_ASSERT_GE(u->test, fd, 0);
	fd_install(fd, sf->file);
	vu_track_fd(u, fd);
	return fd;
}

/**
 * vu_fence_wait - wait a bounded time for a fence
 * @fence: the fence
 *
 * Return: true when it signalled.
 */
bool vu_fence_wait(struct dma_fence *fence)
{
	return dma_fence_wait_timeout(fence, false, VGT_TIMEOUT) > 0;
}

/**
 * vu_read_events - read every pending DRM event of a file
 * @u: the test's device
 * @file: the file
 * @count: set to the number of VIRTGPU_EVENT_FENCE_SIGNALED events read
 *
 * Reads with the file's read op, without blocking, into user memory.
 *
 * Return: 0, -EPROTO when an event is not a virtio-gpu fence event, or
 * the error of the read.
 */
int vu_read_events(struct vu *u, struct file *file, unsigned int *count)
{
	char __user *ubuf = vu_ualloc(u, 256);
	unsigned int saved = file->f_flags;
	struct drm_event ev;
	loff_t pos = 0;
	ssize_t n, off;
	u8 buf[256];

	*count = 0;
	file->f_flags |= O_NONBLOCK;
	for (;;) {
		n = file->f_op->read(file, ubuf, sizeof(buf), &pos);
		if (n <= 0)
			break;
		KUNIT_ASSERT_EQ(u->test, copy_from_user(buf, ubuf, n), 0);
		for (off = 0; off + (ssize_t)sizeof(ev) <= n; off += ev.length) {
			memcpy(&ev, buf + off, sizeof(ev));
			if (ev.type != VIRTGPU_EVENT_FENCE_SIGNALED ||
			    ev.length != sizeof(ev)) {
				n = -EPROTO;
				goto out;
			}
			(*count)++;
		}
	}
out:
	file->f_flags = saved;
	return n == -EAGAIN ? 0 : n;
}

/**
 * vu_hold_ring - park the host's answers on a ring of a file's context
 * @u: the test's device
 * @file: the file
 * @ring: the ring
 */
void vu_hold_ring(struct vu *u, struct file *file, u32 ring)
{
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_RING(vu_ctx_id(file), ring));
}

/**
 * vu_ring_last - newest fence id the host received on a ring
 * @u: the test's device
 * @file: the file
 * @ring: the ring
 *
 * Return: the fence id, 0 if none.
 */
u64 vu_ring_last(struct vu *u, struct file *file, u32 ring)
{
	return vgpu_fake_host_last_fence(u->t->host, VGPU_FAKE_RING(vu_ctx_id(file), ring));
}

/**
 * vu_complete_ring - complete a held ring up to a fence id
 * @u: the test's device
 * @file: the file
 * @ring: the ring
 * @id: last fence id to complete
 *
 * Return: the number of answers the host returned.
 */
unsigned int vu_complete_ring(struct vu *u, struct file *file, u32 ring, u64 id)
{
	return vgt_complete(u->t, VGPU_FAKE_RING(vu_ctx_id(file), ring), id);
}
