// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A seeded ioctl fuzzer for the virtio-gpu render node.
 *
 * Several threads issue random virtgpu and generic DRM ioctls on a few
 * shared render node files. Each argument is either a value that makes
 * sense (a handle an earlier call returned, a size that fits) or a hostile
 * one (0, -1, huge, unaligned, a pointer into nothing or into the kernel);
 * files are closed and reopened while the other threads use them. The
 * kernel decides what is right: any splat in its log fails the boot that
 * runs this program. The program itself fails when an ioctl does not
 * return within the watchdog's time, when a call that succeeded returned
 * nonsense, or when the device no longer works afterwards.
 *
 * The seed fixes every thread's sequence of calls, not how the threads
 * interleave. It is printed first, with the number of ioctls and an errno
 * histogram per ioctl at the end.
 *
 * Sizes that a driver would honour by allocating them are kept to a few
 * MiB: a request for gigabytes of guest memory that the kernel grants
 * only tests the OOM killer.
 *
 *   virtgpu_fuzz [-s SEED] [-n IOCTLS] [-t THREADS] [-w WATCHDOG_SECONDS]
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/virtgpu_drm.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NUM_FILES	3
#define POOL_SIZE	64
#define MAX_THREADS	16
#define MAX_ERRNO	134	/* the last bucket counts anything above */
#define SCRATCH_SIZE	(64 * 1024)
#define MIB		(1024 * 1024)

/* What the threads share: the files, and the handles each file gave out. */
struct file_slot {
	pthread_mutex_t lock;
	int fd;
	unsigned int generation;
	uint32_t bos[POOL_SIZE];
	uint64_t bo_sizes[POOL_SIZE];
	unsigned int nr_bos;
	uint32_t syncobjs[POOL_SIZE];
	unsigned int nr_syncobjs;
};

static struct file_slot files[NUM_FILES];
/* The minor of the render node found first; reopens use the same one. */
static int render_minor = -1;

/* File descriptors the ioctls returned: sync files, dma-bufs, syncobjs. */
static pthread_mutex_t fd_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static int fd_pool[POOL_SIZE];
static unsigned int fd_pool_len;

struct thread_state {
	pthread_t thread;
	unsigned int index;
	uint64_t rng;
	unsigned long todo;
	/* The op in progress and since when, for the watchdog (atomics). */
	int op;
	time_t since;
	int finished;
	char *scratch;		/* SCRATCH_SIZE bytes, then a PROT_NONE page */
	char *readonly;		/* one read-only page */
	unsigned long violations;
};

static struct thread_state threads[MAX_THREADS];
static long page_size;
static __thread sigjmp_buf touch_env;
static __thread volatile sig_atomic_t touching;

/* splitmix64: small, fast and good enough to pick fuzz values. */
static uint64_t next_u64(struct thread_state *t)
{
	uint64_t z = (t->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int below(struct thread_state *t, unsigned int n)
{
	return n ? next_u64(t) % n : 0;
}

/* True with a probability of one in @n. */
static int one_in(struct thread_state *t, unsigned int n)
{
	return below(t, n) == 0;
}

#define PICK(t, table)	((table)[below((t), ARRAY_SIZE(table))])

static const uint32_t hostile_u32[] = {
	0, 1, 2, 3, 7, 64, 0xff, 0x1000, 0xffff, 0x10000, 0x7fffffff,
	0x80000000, 0xfffffffe, 0xffffffff,
};

static const uint64_t hostile_u64[] = {
	0, 1, 0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull,
	0x8000000000000000ull, ~0ull, ~0ull - 4095,
};

/* Sizes for what the driver allocates: bounded, but odd and zero too. */
static const uint32_t alloc_sizes[] = {
	0, 1, 4, 63, 64, 4095, 4096, 4097, 8192, 65536, 65537, MIB, 4 * MIB,
};

static uint32_t fuzz_u32(struct thread_state *t)
{
	if (one_in(t, 4))
		return (uint32_t)next_u64(t);
	return PICK(t, hostile_u32);
}

static uint64_t fuzz_u64(struct thread_state *t)
{
	if (one_in(t, 4))
		return next_u64(t);
	return PICK(t, hostile_u64);
}

/*
 * A user pointer to @len bytes: most often into the thread's scratch area,
 * otherwise NULL, a low address, the guard page, one that runs into it,
 * a read-only page, unaligned, a kernel or a non-canonical address.
 */
static uint64_t fuzz_ptr(struct thread_state *t, size_t len)
{
	uintptr_t guard = (uintptr_t)t->scratch + SCRATCH_SIZE;
	const uint64_t bad[] = {
		0, 16, guard, guard - (len && len <= SCRATCH_SIZE ? len - 1 : 0),
		(uintptr_t)t->readonly, (uintptr_t)t->scratch + 1,
		0xffffffff81000000ull, 0x8000000000000000ull,
	};

	return one_in(t, 3) ? (uintptr_t)t->scratch : PICK(t, bad);
}

/* One in @chaos arguments is hostile; chaos 1 means all of them. */
static int hostile(struct thread_state *t, unsigned int chaos)
{
	return one_in(t, chaos);
}

/*
 * Handle counts for the core's syncobj ioctls: 6.12's drm_syncobj.c
 * allocates count_handles entries without __GFP_NOWARN, so any user
 * gets an allocator warning with a count near 2^32. That is the DRM
 * core's, not the driver's, and the same on the base kernel; the
 * fuzzer stays below it.
 */
static const uint32_t syncobj_counts[] = { 0, 1, 2, 4, 255, 4096, 65536 };

static void fill_random(struct thread_state *t, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = next_u64(t);
}

/* The ioctls and what they returned ------------------------------------- */

enum fuzz_op {
	OP_GETPARAM, OP_GET_CAPS, OP_CONTEXT_INIT, OP_RESOURCE_CREATE,
	OP_RESOURCE_CREATE_BLOB, OP_RESOURCE_INFO, OP_MAP, OP_TRANSFER_TO,
	OP_TRANSFER_FROM, OP_WAIT, OP_EXECBUFFER, OP_GEM_CLOSE,
	OP_PRIME_TO_FD, OP_PRIME_FROM_FD, OP_SYNCOBJ_CREATE,
	OP_SYNCOBJ_DESTROY, OP_SYNCOBJ_RESET_SIGNAL, OP_SYNCOBJ_WAIT,
	OP_SYNCOBJ_TO_FD, OP_VERSION, OP_GET_CAP, OP_RANDOM_DRIVER,
	OP_READ_EVENTS, OP_REOPEN, OP_CLOSE_FD, NR_OPS,
};

static unsigned long counts[NR_OPS][MAX_ERRNO + 1];

static void count(enum fuzz_op op, int err)
{
	if (err < 0 || err > MAX_ERRNO)
		err = MAX_ERRNO;
	__atomic_fetch_add(&counts[op][err], 1, __ATOMIC_RELAXED);
}

/* The ioctl's errno, or 0; counted under @op. */
static int fuzz_ioctl(enum fuzz_op op, int fd, unsigned long cmd, void *arg)
{
	int err = ioctl(fd, cmd, arg) ? errno : 0;

	count(op, err);
	return err;
}

static void violation(struct thread_state *t, const char *what)
{
	printf("# thread %u: %s\n", t->index, what);
	fflush(stdout);
	t->violations++;
}

/* The shared pools ------------------------------------------------------- */

static struct file_slot *pick_file(struct thread_state *t, int *fd,
				   unsigned int *generation)
{
	struct file_slot *f = &files[below(t, NUM_FILES)];

	pthread_mutex_lock(&f->lock);
	*fd = f->fd;
	*generation = f->generation;
	pthread_mutex_unlock(&f->lock);
	return f;
}

/* A handle this file gave out, else a made-up one. */
static uint32_t pick_bo(struct thread_state *t, struct file_slot *f,
			uint64_t *size)
{
	uint32_t handle = fuzz_u32(t);

	*size = 0;
	pthread_mutex_lock(&f->lock);
	if (f->nr_bos && !one_in(t, 8)) {
		unsigned int i = below(t, f->nr_bos);

		handle = f->bos[i];
		*size = f->bo_sizes[i];
	}
	pthread_mutex_unlock(&f->lock);
	return handle;
}

static void add_bo(struct file_slot *f, unsigned int generation,
		   uint32_t handle, uint64_t size)
{
	pthread_mutex_lock(&f->lock);
	if (f->generation == generation) {
		unsigned int i = f->nr_bos < POOL_SIZE ? f->nr_bos++ : handle % POOL_SIZE;

		f->bos[i] = handle;
		f->bo_sizes[i] = size;
	}
	pthread_mutex_unlock(&f->lock);
}

static uint32_t pick_syncobj(struct thread_state *t, struct file_slot *f)
{
	uint32_t handle = fuzz_u32(t);

	pthread_mutex_lock(&f->lock);
	if (f->nr_syncobjs && !one_in(t, 8))
		handle = f->syncobjs[below(t, f->nr_syncobjs)];
	pthread_mutex_unlock(&f->lock);
	return handle;
}

static void add_syncobj(struct file_slot *f, unsigned int generation,
			uint32_t handle)
{
	pthread_mutex_lock(&f->lock);
	if (f->generation == generation) {
		unsigned int i = f->nr_syncobjs < POOL_SIZE ?
				 f->nr_syncobjs++ : handle % POOL_SIZE;

		f->syncobjs[i] = handle;
	}
	pthread_mutex_unlock(&f->lock);
}

/* Keeps @fd for later calls; a full pool closes the one it replaces. */
static void add_fd(int fd)
{
	int old = -1;

	pthread_mutex_lock(&fd_pool_lock);
	if (fd_pool_len < POOL_SIZE) {
		fd_pool[fd_pool_len++] = fd;
	} else {
		old = fd_pool[fd % POOL_SIZE];
		fd_pool[fd % POOL_SIZE] = fd;
	}
	pthread_mutex_unlock(&fd_pool_lock);
	if (old >= 0)
		close(old);
}

/* An fd from the pool (it may be closed by now), or a made-up one. */
static int pick_fd(struct thread_state *t)
{
	int fd = one_in(t, 2) ? -1 : (int)below(t, 1024);

	pthread_mutex_lock(&fd_pool_lock);
	if (fd_pool_len && !one_in(t, 6))
		fd = fd_pool[below(t, fd_pool_len)];
	pthread_mutex_unlock(&fd_pool_lock);
	return fd;
}

static int open_render_node(void)
{
	char path[32];
	int i, fd;

	for (i = 128; i < 192; i++) {
		drm_version_t v = {};
		char name[32] = {};

		if (render_minor >= 0 && i != render_minor)
			continue;
		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		/* Non-blocking, so that a read after poll() cannot hang. */
		fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "virtio_gpu")) {
			render_minor = i;
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* The ops ------------------------------------------------------------------ */

static void op_getparam(struct thread_state *t, struct file_slot *f, int fd,
			unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_getparam gp = {
		.param = hostile(t, chaos) ? fuzz_u64(t) : below(t, 10),
		.value = hostile(t, chaos) ? fuzz_ptr(t, 4) : (uintptr_t)t->scratch,
	};

	fuzz_ioctl(OP_GETPARAM, fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
}

static void op_get_caps(struct thread_state *t, struct file_slot *f, int fd,
			unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_get_caps gc = {
		.cap_set_id = hostile(t, chaos) ? fuzz_u32(t) : below(t, 8),
		.cap_set_ver = hostile(t, chaos) ? fuzz_u32(t) : below(t, 3),
		.size = hostile(t, chaos) ? fuzz_u32(t) : PICK(t, alloc_sizes),
		.pad = hostile(t, chaos) ? fuzz_u32(t) : 0,
	};

	gc.addr = hostile(t, chaos) ? fuzz_ptr(t, gc.size) : (uintptr_t)t->scratch;
	if (!hostile(t, chaos) && gc.size > SCRATCH_SIZE)
		gc.size = SCRATCH_SIZE;
	fuzz_ioctl(OP_GET_CAPS, fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc);
}

static void op_context_init(struct thread_state *t, struct file_slot *f, int fd,
			    unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_context_set_param *p = (void *)t->scratch;
	struct drm_virtgpu_context_init ci = {
		.num_params = hostile(t, chaos) ? fuzz_u32(t) : below(t, 5),
	};
	unsigned int i;

	for (i = 0; i < 8; i++) {
		p[i].param = hostile(t, chaos) ? fuzz_u64(t) : 1 + below(t, 4);
		switch (p[i].param) {
		case VIRTGPU_CONTEXT_PARAM_CAPSET_ID:
			p[i].value = below(t, 10);
			break;
		case VIRTGPU_CONTEXT_PARAM_NUM_RINGS:
			p[i].value = below(t, 66);
			break;
		case VIRTGPU_CONTEXT_PARAM_DEBUG_NAME:
			p[i].value = fuzz_ptr(t, 64);
			break;
		default:
			p[i].value = fuzz_u64(t);
		}
		if (hostile(t, chaos))
			p[i].value = fuzz_u64(t);
	}
	/* A debug name in scratch is a string, terminated or not. */
	memcpy(t->scratch + 1024, "fuzz", 5);
	ci.pad = hostile(t, chaos) ? fuzz_u32(t) : 0;
	ci.ctx_set_params = hostile(t, chaos) ? fuzz_ptr(t, ci.num_params * sizeof(*p)) :
			    (uintptr_t)p;
	fuzz_ioctl(OP_CONTEXT_INIT, fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci);
}

static const uint32_t dims[] = { 0, 1, 2, 16, 64, 256, 1024, 4096, 16384, 65536 };

static void op_resource_create(struct thread_state *t, struct file_slot *f, int fd,
			       unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_resource_create rc = {
		.target = hostile(t, chaos) ? fuzz_u32(t) : below(t, 10),
		.format = hostile(t, chaos) ? fuzz_u32(t) : 1 + below(t, 4),
		.bind = hostile(t, chaos) ? fuzz_u32(t) : 1u << below(t, 12),
		.width = PICK(t, dims), .height = PICK(t, dims),
		.depth = hostile(t, chaos) ? PICK(t, dims) : 1,
		.array_size = hostile(t, chaos) ? PICK(t, dims) : 1,
		.last_level = hostile(t, chaos) ? fuzz_u32(t) : 0,
		.nr_samples = hostile(t, chaos) ? fuzz_u32(t) : 0,
		.flags = hostile(t, chaos) ? fuzz_u32(t) : 0,
		.bo_handle = hostile(t, chaos) ? fuzz_u32(t) : 0,
		.res_handle = hostile(t, chaos) ? fuzz_u32(t) : 0,
		.size = PICK(t, alloc_sizes),
		.stride = hostile(t, chaos) ? fuzz_u32(t) : 0,
	};

	if (!hostile(t, chaos)) {
		rc.target = 2;			/* PIPE_TEXTURE_2D */
		rc.width = 64;
		rc.height = 64;
		rc.stride = 256;
		rc.size = 64 * 256;
	}
	if (fuzz_ioctl(OP_RESOURCE_CREATE, fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc))
		return;
	if (!rc.bo_handle)
		violation(t, "RESOURCE_CREATE succeeded with GEM handle 0");
	add_bo(f, gen, rc.bo_handle, rc.size ? rc.size : 4096);
}

static void op_resource_create_blob(struct thread_state *t, struct file_slot *f, int fd,
				    unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_resource_create_blob rb = {
		.blob_mem = hostile(t, chaos) ? fuzz_u32(t) : 1 + below(t, 3),
		.blob_flags = hostile(t, chaos) ? fuzz_u32(t) : below(t, 8),
		.size = PICK(t, alloc_sizes),
		.pad = hostile(t, chaos) ? fuzz_u32(t) : 0,
		.cmd_size = hostile(t, chaos) ? PICK(t, alloc_sizes) : 0,
		.blob_id = hostile(t, chaos) ? fuzz_u64(t) : below(t, 4),
	};

	if (hostile(t, chaos))
		rb.size = fuzz_u64(t) & (one_in(t, 2) ? ~0ull : 0xfffffff);
	if (rb.size > 4 * MIB)
		rb.size = one_in(t, 2) ? rb.size | (1ull << 62) : 4 * MIB;
	rb.cmd = fuzz_ptr(t, rb.cmd_size);
	if (fuzz_ioctl(OP_RESOURCE_CREATE_BLOB, fd,
		       DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &rb))
		return;
	if (!rb.bo_handle)
		violation(t, "RESOURCE_CREATE_BLOB succeeded with GEM handle 0");
	add_bo(f, gen, rb.bo_handle, rb.size);
}

static void op_resource_info(struct thread_state *t, struct file_slot *f, int fd,
			     unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_resource_info ri = {};
	uint64_t size;

	ri.bo_handle = pick_bo(t, f, &size);
	if (hostile(t, chaos)) {
		ri.res_handle = fuzz_u32(t);
		ri.size = fuzz_u32(t);
		ri.blob_mem = fuzz_u32(t);
	}
	fuzz_ioctl(OP_RESOURCE_INFO, fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri);
}

static void on_fault(int sig)
{
	if (touching)
		siglongjmp(touch_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* MAP, then mmap the offset and touch the first and the last byte. */
static void op_map(struct thread_state *t, struct file_slot *f, int fd,
		   unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_map map = { .pad = hostile(t, chaos) ? fuzz_u32(t) : 0 };
	uint64_t size;
	size_t len;
	char *p;

	map.handle = pick_bo(t, f, &size);
	if (fuzz_ioctl(OP_MAP, fd, DRM_IOCTL_VIRTGPU_MAP, &map))
		return;
	len = size ? size : (size_t)page_size;
	if (hostile(t, chaos))
		len = (size_t)PICK(t, alloc_sizes) + 1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	if (p == MAP_FAILED)
		return;
	if (!sigsetjmp(touch_env, 1)) {
		touching = 1;
		p[0] = p[len - 1];
	}
	touching = 0;
	munmap(p, len);
}

static void fuzz_box(struct thread_state *t, struct drm_virtgpu_3d_box *box,
		     unsigned int chaos)
{
	box->x = hostile(t, chaos) ? fuzz_u32(t) : below(t, 64);
	box->y = hostile(t, chaos) ? fuzz_u32(t) : below(t, 64);
	box->z = hostile(t, chaos) ? fuzz_u32(t) : 0;
	box->w = hostile(t, chaos) ? fuzz_u32(t) : 1 + below(t, 64);
	box->h = hostile(t, chaos) ? fuzz_u32(t) : 1 + below(t, 64);
	box->d = hostile(t, chaos) ? fuzz_u32(t) : 1;
}

static void transfer(struct thread_state *t, struct file_slot *f, int fd,
		     unsigned int chaos, int to_host)
{
	struct drm_virtgpu_3d_transfer_to_host tr = {};
	uint64_t size;

	tr.bo_handle = pick_bo(t, f, &size);
	fuzz_box(t, &tr.box, chaos);
	tr.level = hostile(t, chaos) ? fuzz_u32(t) : 0;
	tr.offset = hostile(t, chaos) ? fuzz_u32(t) : 0;
	tr.stride = hostile(t, chaos) ? fuzz_u32(t) : 256;
	tr.layer_stride = hostile(t, chaos) ? fuzz_u32(t) : 0;
	/* TRANSFER_FROM_HOST's argument has the same layout. */
	if (to_host)
		fuzz_ioctl(OP_TRANSFER_TO, fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &tr);
	else
		fuzz_ioctl(OP_TRANSFER_FROM, fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &tr);
}

static void op_transfer_to(struct thread_state *t, struct file_slot *f, int fd,
			   unsigned int gen, unsigned int chaos)
{
	transfer(t, f, fd, chaos, 1);
}

static void op_transfer_from(struct thread_state *t, struct file_slot *f, int fd,
			     unsigned int gen, unsigned int chaos)
{
	transfer(t, f, fd, chaos, 0);
}

static void op_wait(struct thread_state *t, struct file_slot *f, int fd,
		    unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_3d_wait w = {
		.flags = hostile(t, chaos) ? fuzz_u32(t) : below(t, 2),
	};
	uint64_t size;

	w.handle = pick_bo(t, f, &size);
	fuzz_ioctl(OP_WAIT, fd, DRM_IOCTL_VIRTGPU_WAIT, &w);
}

static void op_execbuffer(struct thread_state *t, struct file_slot *f, int fd,
			  unsigned int gen, unsigned int chaos)
{
	struct drm_virtgpu_execbuffer_syncobj *in = (void *)(t->scratch + 8192);
	struct drm_virtgpu_execbuffer_syncobj *out = (void *)(t->scratch + 12288);
	uint32_t *bos = (uint32_t *)(t->scratch + 4096);
	struct drm_virtgpu_execbuffer eb = {
		.flags = hostile(t, chaos) ? fuzz_u32(t) : below(t, 8),
		.size = hostile(t, chaos) ? fuzz_u32(t) : 4 * below(t, 64),
		.num_bo_handles = hostile(t, chaos) ? fuzz_u32(t) : below(t, 4),
		.ring_idx = hostile(t, chaos) ? fuzz_u32(t) : below(t, 4),
		.syncobj_stride = hostile(t, chaos) ? fuzz_u32(t) : sizeof(*in),
		.num_in_syncobjs = hostile(t, chaos) ? fuzz_u32(t) : below(t, 3),
		.num_out_syncobjs = hostile(t, chaos) ? fuzz_u32(t) : below(t, 3),
	};
	unsigned int i;
	uint64_t size;

	/* A command stream of random dwords: the host judges it, not us. */
	fill_random(t, t->scratch, 1024);
	eb.command = hostile(t, chaos) ? fuzz_ptr(t, eb.size) : (uintptr_t)t->scratch;
	for (i = 0; i < 4; i++)
		bos[i] = pick_bo(t, f, &size);
	eb.bo_handles = hostile(t, chaos) ? fuzz_ptr(t, 16) : (uintptr_t)bos;
	for (i = 0; i < 3; i++) {
		in[i].handle = pick_syncobj(t, f);
		in[i].flags = hostile(t, chaos) ? fuzz_u32(t) : below(t, 2);
		in[i].point = hostile(t, chaos) ? fuzz_u64(t) : 0;
		out[i].handle = pick_syncobj(t, f);
		out[i].flags = hostile(t, chaos) ? fuzz_u32(t) : 0;
		out[i].point = hostile(t, chaos) ? fuzz_u64(t) : 0;
	}
	eb.in_syncobjs = hostile(t, chaos) ? fuzz_ptr(t, 48) : (uintptr_t)in;
	eb.out_syncobjs = hostile(t, chaos) ? fuzz_ptr(t, 48) : (uintptr_t)out;
	eb.fence_fd = pick_fd(t);

	if (fuzz_ioctl(OP_EXECBUFFER, fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb))
		return;
	if (eb.flags & VIRTGPU_EXECBUF_FENCE_FD_OUT) {
		if (eb.fence_fd < 0)
			violation(t, "EXECBUFFER with FENCE_FD_OUT returned no fence fd");
		else
			add_fd(eb.fence_fd);
	}
}

static void op_gem_close(struct thread_state *t, struct file_slot *f, int fd,
			 unsigned int gen, unsigned int chaos)
{
	struct drm_gem_close gc = {};
	uint64_t size;

	gc.handle = pick_bo(t, f, &size);
	fuzz_ioctl(OP_GEM_CLOSE, fd, DRM_IOCTL_GEM_CLOSE, &gc);
}

static void op_prime_to_fd(struct thread_state *t, struct file_slot *f, int fd,
			   unsigned int gen, unsigned int chaos)
{
	struct drm_prime_handle ph = {
		.flags = hostile(t, chaos) ? fuzz_u32(t) : DRM_CLOEXEC | DRM_RDWR,
	};
	uint64_t size;

	ph.handle = pick_bo(t, f, &size);
	if (!fuzz_ioctl(OP_PRIME_TO_FD, fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph))
		add_fd(ph.fd);
}

/* Imports a dma-buf (of this file or another one) or whatever fd it gets. */
static void op_prime_from_fd(struct thread_state *t, struct file_slot *f, int fd,
			     unsigned int gen, unsigned int chaos)
{
	struct drm_prime_handle ph = {
		.fd = pick_fd(t),
		.flags = hostile(t, chaos) ? fuzz_u32(t) : 0,
	};

	if (!fuzz_ioctl(OP_PRIME_FROM_FD, fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph))
		add_bo(f, gen, ph.handle, 0);
}

static void op_syncobj_create(struct thread_state *t, struct file_slot *f, int fd,
			      unsigned int gen, unsigned int chaos)
{
	struct drm_syncobj_create sc = {
		.flags = hostile(t, chaos) ? fuzz_u32(t) : below(t, 2),
	};

	if (!fuzz_ioctl(OP_SYNCOBJ_CREATE, fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc))
		add_syncobj(f, gen, sc.handle);
}

static void op_syncobj_destroy(struct thread_state *t, struct file_slot *f, int fd,
			       unsigned int gen, unsigned int chaos)
{
	struct drm_syncobj_destroy sd = {
		.handle = pick_syncobj(t, f),
		.pad = hostile(t, chaos) ? fuzz_u32(t) : 0,
	};

	fuzz_ioctl(OP_SYNCOBJ_DESTROY, fd, DRM_IOCTL_SYNCOBJ_DESTROY, &sd);
}

static void op_syncobj_reset_signal(struct thread_state *t, struct file_slot *f, int fd,
				    unsigned int gen, unsigned int chaos)
{
	uint32_t *handles = (uint32_t *)t->scratch;
	struct drm_syncobj_array sa = {
		.count_handles = hostile(t, chaos) ? PICK(t, syncobj_counts) : 1 + below(t, 4),
		.pad = hostile(t, chaos) ? fuzz_u32(t) : 0,
	};
	unsigned int i;

	for (i = 0; i < 4; i++)
		handles[i] = pick_syncobj(t, f);
	sa.handles = hostile(t, chaos) ? fuzz_ptr(t, 16) : (uintptr_t)handles;
	fuzz_ioctl(OP_SYNCOBJ_RESET_SIGNAL, fd,
		   one_in(t, 2) ? DRM_IOCTL_SYNCOBJ_RESET : DRM_IOCTL_SYNCOBJ_SIGNAL, &sa);
}

/* Waits that end at once or after 1 ms: nothing here may block for long. */
static void op_syncobj_wait(struct thread_state *t, struct file_slot *f, int fd,
			    unsigned int gen, unsigned int chaos)
{
	uint32_t *handles = (uint32_t *)t->scratch;
	struct drm_syncobj_wait sw = {
		.count_handles = hostile(t, chaos) ? PICK(t, syncobj_counts) : 1 + below(t, 4),
		.flags = hostile(t, chaos) ? fuzz_u32(t) : below(t, 4),
	};
	struct timespec now;
	unsigned int i;

	for (i = 0; i < 4; i++)
		handles[i] = pick_syncobj(t, f);
	clock_gettime(CLOCK_MONOTONIC, &now);
	sw.timeout_nsec = now.tv_sec * 1000000000ll + now.tv_nsec +
			  (one_in(t, 2) ? 1000000 : 0);
	if (hostile(t, chaos))
		sw.timeout_nsec = one_in(t, 2) ? -1 : 0;
	sw.handles = hostile(t, chaos) ? fuzz_ptr(t, 16) : (uintptr_t)handles;
	fuzz_ioctl(OP_SYNCOBJ_WAIT, fd, DRM_IOCTL_SYNCOBJ_WAIT, &sw);
}

static void op_syncobj_to_fd(struct thread_state *t, struct file_slot *f, int fd,
			     unsigned int gen, unsigned int chaos)
{
	struct drm_syncobj_handle sh = {
		.handle = pick_syncobj(t, f),
		.flags = hostile(t, chaos) ? fuzz_u32(t) : below(t, 2),
		.pad = hostile(t, chaos) ? fuzz_u32(t) : 0,
	};

	if (!fuzz_ioctl(OP_SYNCOBJ_TO_FD, fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &sh))
		add_fd(sh.fd);
}

static void op_version(struct thread_state *t, struct file_slot *f, int fd,
		       unsigned int gen, unsigned int chaos)
{
	struct drm_version v = {
		.name_len = hostile(t, chaos) ? fuzz_u64(t) : 64,
		.date_len = hostile(t, chaos) ? fuzz_u64(t) : 64,
		.desc_len = hostile(t, chaos) ? fuzz_u64(t) : 64,
	};

	v.name = (void *)(uintptr_t)(hostile(t, chaos) ? fuzz_ptr(t, 64) :
				    (uintptr_t)t->scratch);
	v.date = (void *)(uintptr_t)(hostile(t, chaos) ? fuzz_ptr(t, 64) :
				    (uintptr_t)t->scratch + 64);
	v.desc = (void *)(uintptr_t)(hostile(t, chaos) ? fuzz_ptr(t, 64) :
				    (uintptr_t)t->scratch + 128);
	fuzz_ioctl(OP_VERSION, fd, DRM_IOCTL_VERSION, &v);
}

static void op_get_cap(struct thread_state *t, struct file_slot *f, int fd,
		       unsigned int gen, unsigned int chaos)
{
	struct drm_get_cap gc = {
		.capability = hostile(t, chaos) ? fuzz_u64(t) : below(t, 0x16),
	};

	fuzz_ioctl(OP_GET_CAP, fd, DRM_IOCTL_GET_CAP, &gc);
}

/*
 * Any driver ioctl number, any direction, any size, random bytes: what a
 * stale or hostile userspace sends when its headers do not match.
 */
static void op_random_driver(struct thread_state *t, struct file_slot *f, int fd,
			     unsigned int gen, unsigned int chaos)
{
	unsigned int nr = DRM_COMMAND_BASE + below(t, 16);
	unsigned int dir = below(t, 4);
	unsigned int size = below(t, 96);

	fill_random(t, t->scratch, 256);
	fuzz_ioctl(OP_RANDOM_DRIVER, fd, _IOC(dir, DRM_IOCTL_BASE, nr, size),
		   t->scratch);
}

/* Fence events of polled rings: read whatever is there, never wait. */
static void op_read_events(struct thread_state *t, struct file_slot *f, int fd,
			   unsigned int gen, unsigned int chaos)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int err = 0;

	if (poll(&p, 1, 0) < 0) {
		count(OP_READ_EVENTS, errno);
		return;
	}
	n = read(fd, t->scratch, one_in(t, 4) ? below(t, 16) : 4096);
	if (n < 0)
		err = errno;
	count(OP_READ_EVENTS, err);
}

/* Closes the file under the other threads and opens a new one in its place. */
static void op_reopen(struct thread_state *t, struct file_slot *f, int fd,
		      unsigned int gen, unsigned int chaos)
{
	int new_fd = open_render_node(), old;

	pthread_mutex_lock(&f->lock);
	old = f->fd;
	f->fd = new_fd;
	f->generation++;
	f->nr_bos = 0;
	f->nr_syncobjs = 0;
	pthread_mutex_unlock(&f->lock);
	count(OP_REOPEN, new_fd < 0 ? errno : 0);
	if (old >= 0)
		close(old);
}

static void op_close_fd(struct thread_state *t, struct file_slot *f, int fd,
			unsigned int gen, unsigned int chaos)
{
	int victim = -1;

	pthread_mutex_lock(&fd_pool_lock);
	if (fd_pool_len) {
		unsigned int i = below(t, fd_pool_len);

		victim = fd_pool[i];
		fd_pool[i] = fd_pool[--fd_pool_len];
	}
	pthread_mutex_unlock(&fd_pool_lock);
	count(OP_CLOSE_FD, victim >= 0 && close(victim) ? errno : 0);
}

typedef void (*fuzz_fn)(struct thread_state *t, struct file_slot *f, int fd,
			unsigned int gen, unsigned int chaos);

/* Every op, its name in the histogram, and how often it is picked. */
static const struct {
	const char *name;
	unsigned int weight;
	fuzz_fn run;
} ops[NR_OPS] = {
	[OP_GETPARAM] = { "GETPARAM", 4, op_getparam },
	[OP_GET_CAPS] = { "GET_CAPS", 3, op_get_caps },
	[OP_CONTEXT_INIT] = { "CONTEXT_INIT", 3, op_context_init },
	[OP_RESOURCE_CREATE] = { "RESOURCE_CREATE", 8, op_resource_create },
	[OP_RESOURCE_CREATE_BLOB] = { "RESOURCE_CREATE_BLOB", 6, op_resource_create_blob },
	[OP_RESOURCE_INFO] = { "RESOURCE_INFO", 4, op_resource_info },
	[OP_MAP] = { "MAP+mmap", 4, op_map },
	[OP_TRANSFER_TO] = { "TRANSFER_TO_HOST", 5, op_transfer_to },
	[OP_TRANSFER_FROM] = { "TRANSFER_FROM_HOST", 5, op_transfer_from },
	[OP_WAIT] = { "WAIT", 4, op_wait },
	[OP_EXECBUFFER] = { "EXECBUFFER", 8, op_execbuffer },
	[OP_GEM_CLOSE] = { "GEM_CLOSE", 5, op_gem_close },
	[OP_PRIME_TO_FD] = { "PRIME_HANDLE_TO_FD", 2, op_prime_to_fd },
	[OP_PRIME_FROM_FD] = { "PRIME_FD_TO_HANDLE", 2, op_prime_from_fd },
	[OP_SYNCOBJ_CREATE] = { "SYNCOBJ_CREATE", 3, op_syncobj_create },
	[OP_SYNCOBJ_DESTROY] = { "SYNCOBJ_DESTROY", 2, op_syncobj_destroy },
	[OP_SYNCOBJ_RESET_SIGNAL] = { "SYNCOBJ_RESET/SIGNAL", 2, op_syncobj_reset_signal },
	[OP_SYNCOBJ_WAIT] = { "SYNCOBJ_WAIT", 2, op_syncobj_wait },
	[OP_SYNCOBJ_TO_FD] = { "SYNCOBJ_HANDLE_TO_FD", 2, op_syncobj_to_fd },
	[OP_VERSION] = { "VERSION", 1, op_version },
	[OP_GET_CAP] = { "GET_CAP", 1, op_get_cap },
	[OP_RANDOM_DRIVER] = { "random driver ioctl", 6, op_random_driver },
	[OP_READ_EVENTS] = { "poll+read", 2, op_read_events },
	[OP_REOPEN] = { "close+reopen", 1, op_reopen },
	[OP_CLOSE_FD] = { "close fd", 3, op_close_fd },
};

static enum fuzz_op pick_op(struct thread_state *t)
{
	unsigned int total = 0, i, r;

	for (i = 0; i < NR_OPS; i++)
		total += ops[i].weight;
	r = below(t, total);
	for (i = 0; i < NR_OPS; i++) {
		if (r < ops[i].weight)
			return i;
		r -= ops[i].weight;
	}
	return OP_GETPARAM;
}

/* How often an argument is hostile: never, sometimes, often, always. */
static const unsigned int chaos_levels[] = { 1000000, 8, 3, 1 };

static void *fuzz_thread(void *arg)
{
	struct thread_state *t = arg;

	while (t->todo--) {
		enum fuzz_op op = pick_op(t);
		unsigned int chaos = PICK(t, chaos_levels), gen;
		struct file_slot *f;
		int fd;

		f = pick_file(t, &fd, &gen);
		__atomic_store_n(&t->since, time(NULL), __ATOMIC_RELAXED);
		__atomic_store_n(&t->op, op, __ATOMIC_RELEASE);
		ops[op].run(t, f, fd, gen, chaos);
		__atomic_store_n(&t->op, -1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&t->finished, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* The end --------------------------------------------------------------- */

static unsigned long total_calls(void)
{
	unsigned long n = 0;
	int op, e;

	for (op = 0; op < NR_OPS; op++)
		for (e = 0; e <= MAX_ERRNO; e++)
			n += counts[op][e];
	return n;
}

static const char *errno_name(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ 0, "ok" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
		{ ETIME, "ETIME" }, { EOVERFLOW, "EOVERFLOW" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ECANCELED, "ECANCELED" }, { EPROTO, "EPROTO" },
		{ MAX_ERRNO, "other" },
	};
	static char buf[MAX_ERRNO + 1][12];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf[e], sizeof(buf[e]), "errno%d", e);
	return buf[e];
}

static void print_histogram(void)
{
	unsigned long sum[MAX_ERRNO + 1] = {};
	char line[1024];
	int op, e, len;

	for (op = 0; op < NR_OPS; op++) {
		unsigned long calls = 0;

		len = 0;
		for (e = 0; e <= MAX_ERRNO; e++) {
			if (!counts[op][e])
				continue;
			calls += counts[op][e];
			sum[e] += counts[op][e];
			len += snprintf(line + len, sizeof(line) - len, " %s=%lu",
					errno_name(e), counts[op][e]);
			if (len >= (int)sizeof(line))
				break;
		}
		printf("# %-22s %7lu:%s\n", ops[op].name, calls, calls ? line : "");
	}
	len = 0;
	for (e = 0; e <= MAX_ERRNO; e++) {
		if (!sum[e])
			continue;
		len += snprintf(line + len, sizeof(line) - len, " %s=%lu",
				errno_name(e), sum[e]);
		if (len >= (int)sizeof(line))
			break;
	}
	printf("# errno histogram:%s\n", line);
}

/* After all that the device must still do what a plain client asks. */
static int device_still_works(void)
{
	struct drm_virtgpu_resource_create rc = {
		.target = 2, .format = 2, .bind = 2, .width = 64, .height = 64,
		.depth = 1, .array_size = 1, .size = 64 * 256, .stride = 256,
	};
	struct drm_virtgpu_3d_transfer_to_host tr = {
		.box = { .w = 64, .h = 64, .d = 1 }, .stride = 256,
	};
	struct drm_virtgpu_3d_wait w = {};
	struct drm_gem_close gc = {};
	int fd = open_render_node(), ok;

	if (fd < 0)
		return 0;
	ok = !ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc) && rc.bo_handle;
	tr.bo_handle = rc.bo_handle;
	w.handle = rc.bo_handle;
	gc.handle = rc.bo_handle;
	ok = ok && !ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &tr);
	ok = ok && !ioctl(fd, DRM_IOCTL_VIRTGPU_WAIT, &w);
	ok = ok && !ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
	close(fd);
	return ok;
}

static int count_open_fds(void)
{
	int n = 0, fd;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static int parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || !*s || *end;
}

int main(int argc, char **argv)
{
	unsigned long seed = time(NULL), iters = 20000, nthreads = 4, watchdog = 120;
	unsigned long stuck = 0;
	int opt, fds_before, i, done, works;
	struct sigaction sa = { .sa_handler = on_fault };

	while ((opt = getopt(argc, argv, "s:n:t:w:")) != -1) {
		unsigned long *v = opt == 's' ? &seed : opt == 'n' ? &iters :
				   opt == 't' ? &nthreads : opt == 'w' ? &watchdog : NULL;

		if (!v || parse_ulong(optarg, v)) {
			fprintf(stderr, "usage: %s [-s SEED] [-n IOCTLS] [-t THREADS]"
				" [-w SECONDS]\n", argv[0]);
			return 2;
		}
	}
	if (!nthreads || nthreads > MAX_THREADS || !watchdog) {
		fprintf(stderr, "threads must be 1 to %d, the watchdog at least 1 s\n",
			MAX_THREADS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..3\n");
	printf("# seed %lu, %lu ioctls over %lu threads, watchdog %lu s\n",
	       seed, iters, nthreads, watchdog);
	page_size = sysconf(_SC_PAGESIZE);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	fds_before = count_open_fds();

	for (i = 0; i < NUM_FILES; i++) {
		pthread_mutex_init(&files[i].lock, NULL);
		files[i].fd = open_render_node();
		if (files[i].fd < 0) {
			printf("ok 1 fuzz # SKIP no virtio_gpu render node\n");
			printf("ok 2 device_still_works # SKIP no device\n");
			printf("ok 3 no_fd_left # SKIP no device\n");
			return 0;
		}
	}
	for (i = 0; i < (int)nthreads; i++) {
		struct thread_state *t = &threads[i];
		char *map;

		t->index = i;
		t->rng = seed * 0x100000001b3ull + i;
		t->todo = iters / nthreads + (i < (int)(iters % nthreads));
		t->op = -1;
		map = mmap(NULL, SCRATCH_SIZE + 2 * page_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED) {
			printf("Bail out! no memory for the scratch areas\n");
			return 1;
		}
		t->scratch = map;
		t->readonly = map + SCRATCH_SIZE + page_size;
		mprotect(map + SCRATCH_SIZE, page_size, PROT_NONE);
		mprotect(t->readonly, page_size, PROT_READ);
		if (pthread_create(&t->thread, NULL, fuzz_thread, t)) {
			printf("Bail out! cannot start thread %d\n", i);
			return 1;
		}
	}

	/* The watchdog: an ioctl that does not return is a failure. */
	do {
		sleep(1);
		done = 1;
		for (i = 0; i < (int)nthreads; i++) {
			struct thread_state *t = &threads[i];
			int op = __atomic_load_n(&t->op, __ATOMIC_ACQUIRE);
			time_t since = __atomic_load_n(&t->since, __ATOMIC_RELAXED);

			if (__atomic_load_n(&t->finished, __ATOMIC_ACQUIRE))
				continue;
			done = 0;
			if (op >= 0 && time(NULL) - since > (time_t)watchdog) {
				printf("# thread %d stuck in %s for over %lu s\n",
				       i, ops[op].name, watchdog);
				stuck++;
			}
		}
	} while (!done && !stuck);

	if (stuck) {
		print_histogram();
		printf("not ok 1 fuzz # %lu ioctls before the watchdog fired (seed %lu)\n",
		       total_calls(), seed);
		/* Threads stuck in the kernel cannot be joined: leave now. */
		fflush(stdout);
		_exit(1);
	}
	for (i = 0; i < (int)nthreads; i++) {
		pthread_join(threads[i].thread, NULL);
		if (threads[i].violations)
			stuck += threads[i].violations;
	}
	print_histogram();
	printf("%s 1 fuzz # %lu ioctls, %lu violations, seed %lu\n",
	       stuck ? "not ok" : "ok", total_calls(), stuck, seed);

	works = device_still_works();
	printf("%s 2 device_still_works\n", works ? "ok" : "not ok");

	for (i = 0; i < NUM_FILES; i++)
		if (files[i].fd >= 0)
			close(files[i].fd);
	for (i = 0; i < (int)fd_pool_len; i++)
		close(fd_pool[i]);
	done = count_open_fds();
	printf("%s 3 no_fd_left # %d fds before, %d after\n",
	       done == fds_before ? "ok" : "not ok", fds_before, done);
	return stuck || !works || done != fds_before;
}
