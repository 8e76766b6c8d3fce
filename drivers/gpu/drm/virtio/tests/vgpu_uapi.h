/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The UAPI suites' view of the driver: DRM files opened on a fake device,
 * ioctls issued through drm_ioctl() with their arguments in the test
 * thread's user memory, fences and fds whose cleanup KUnit owns.
 */
#ifndef VGPU_UAPI_H
#define VGPU_UAPI_H

#include <drm/drm_file.h>
#include <drm/virtgpu_drm.h>
#include <linux/dma-fence.h>
#include <linux/fs.h>

#include "vgpu_test.h"

/* Bytes of user memory a test can take with vu_ualloc(). */
#define VU_USER_BYTES		(64 * 1024)

/* Every device feature the driver knows of. */
#define VU_F_ALL	(VGT_FEATURES_3D | VGPU_FAKE_F_EDID | \
			 VGPU_FAKE_F_RESOURCE_BLOB | VGPU_FAKE_F_RESOURCE_UUID)

/* A 2D device: no 3D, no capsets. */
#define VU_F_2D		(VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_EDID)

/**
 * struct vu - a test's device and user memory
 * @test: the test owning everything
 * @t: the driver bound to a fake device
 * @ubase: start of the user mapping handed out by vu_ualloc()
 * @uoff: bytes of the mapping handed out so far
 * @scratch: a page of user memory vu_ioctl() passes arguments in
 */
struct vu {
	struct kunit *test;
	struct vgt *t;
	unsigned long ubase;
	size_t uoff;
	void __user *scratch;
};

/**
 * struct vu_exec - what vu_submit() submits
 * @flags: VIRTGPU_EXECBUF_* flags; FENCE_FD_IN is set when @in_fd >= 0
 * @ring_idx: the ring, used with VIRTGPU_EXECBUF_RING_IDX
 * @bos: BO handles, or NULL
 * @num_bos: entries in @bos
 * @in_fd: in-fence sync_file fd, or -1
 * @out_fd: set to the out-fence fd with VIRTGPU_EXECBUF_FENCE_FD_OUT
 * (closed by an action), -1 otherwise
 */
struct vu_exec {
	u32 flags;
	u32 ring_idx;
	const u32 *bos;
	u32 num_bos;
	int in_fd;
	int out_fd;
};

/**
 * struct vu_dev - a named device configuration, a test parameter
 * @desc: its name
 * @features: offered features
 * @capsets: offer vgt_config()'s capsets
 */
struct vu_dev {
	const char *desc;
	u64 features;
	bool capsets;
};

/**
 * struct vu_u64 - a named number, a test parameter
 * @desc: its name
 * @v: the number
 */
struct vu_u64 {
	const char *desc;
	u64 v;
};

struct vu *vu_create(struct kunit *test, const struct vgpu_fake_host_config *cfg);
struct vu *vu_create_features(struct kunit *test, u64 features);
struct vu *vu_create_dev(struct kunit *test, const struct vu_dev *d);
struct vu *vu_create_3d(struct kunit *test);
const void *vu_2d_3d_gen_params(const void *prev, char *desc);

struct file *vu_open(struct vu *u);
struct file *vu_open_primary(struct vu *u);
struct file *vu_open_minor(struct vu *u, struct drm_minor *minor);
void vu_close(struct vu *u, struct file *file);
struct virtio_gpu_fpriv *vu_fpriv(struct file *file);
u32 vu_ctx_id(struct file *file);

void __user *vu_ualloc(struct vu *u, size_t len);
void __user *vu_ucopy(struct vu *u, const void *src, size_t len);
void __user *vu_ubad(struct vu *u);
u64 vu_uptr(const void __user *p);

int vu_ioctl(struct vu *u, struct file *file, unsigned int cmd, void *arg);
int vu_getparam(struct vu *u, struct file *file, u64 param, int *value);
int vu_get_caps(struct vu *u, struct file *file, u32 id, u32 version,
		void __user *addr, u32 size);
int vu_context_init(struct vu *u, struct file *file,
		    const struct drm_virtgpu_context_set_param *params, u32 n);
void vu_rings(struct vu *u, struct file *file, u32 num_rings, u64 poll_mask);
int vu_resource_create(struct vu *u, struct file *file,
		       struct drm_virtgpu_resource_create *rc);
int vu_resource_create_blob(struct vu *u, struct file *file,
			    struct drm_virtgpu_resource_create_blob *b);
int vu_resource_info(struct vu *u, struct file *file, u32 handle,
		     struct drm_virtgpu_resource_info *ri);
int vu_gem_close(struct vu *u, struct file *file, u32 handle);
void vu_rc_2d(struct drm_virtgpu_resource_create *rc);
u32 vu_bo(struct vu *u, struct file *file);
int vu_wait(struct vu *u, struct file *file, u32 handle, u32 flags);
int vu_transfer_to_host(struct vu *u, struct file *file,
			struct drm_virtgpu_3d_transfer_to_host *t);

int vu_execbuffer(struct vu *u, struct file *file,
		  struct drm_virtgpu_execbuffer *eb);
void vu_exec_init(struct vu_exec *x);
int vu_submit(struct vu *u, struct file *file, struct vu_exec *x);
int vu_ring_job(struct vu *u, struct file *file, u32 ring, const u32 *bos, u32 num_bos,
		struct vu_exec *x);
struct dma_fence *vu_out_fence(struct vu *u, const struct vu_exec *x);
struct dma_fence *vu_blocked_job(struct vu *u, struct file *file, struct dma_fence *in);
bool vu_host_submits(struct vu *u, unsigned int count);
unsigned int vu_count(struct vu *u, u32 type);
unsigned int vu_host_cmds(struct vu *u);
void vu_host_res(struct vu *u, u32 res_id, struct vgpu_fake_res_info *info);

struct drm_virtgpu_execbuffer_syncobj vu_sobj(u32 handle, u32 flags, u64 point);
u32 vu_syncobj(struct vu *u, struct file *file, bool signalled);
struct dma_fence *vu_syncobj_fence(struct vu *u, struct file *file, u32 handle,
				   u64 point);
int vu_syncobj_query(struct vu *u, struct file *file, u32 handle, u64 *point);
int vu_syncobj_signal(struct vu *u, struct file *file, u32 handle, u64 point);

struct dma_fence *vu_fd_fence(struct vu *u, int fd);
void vu_track_fd(struct vu *u, int fd);
struct dma_fence *vu_foreign_fence(struct vu *u);
int vu_fence_fd(struct vu *u, struct dma_fence *fence);
bool vu_fence_wait(struct dma_fence *fence);

int vu_read_events(struct vu *u, struct file *file, unsigned int *count);

void vu_hold_ring(struct vu *u, struct file *file, u32 ring);
u64 vu_ring_last(struct vu *u, struct file *file, u32 ring);
unsigned int vu_complete_ring(struct vu *u, struct file *file, u32 ring, u64 id);

#endif /* VGPU_UAPI_H */
