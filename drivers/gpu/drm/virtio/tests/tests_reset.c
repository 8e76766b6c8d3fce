// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reset and removal with work in flight: fences parked by the host and
 * commands the host never took end with -ENODEV, synchronous waiters and
 * blocked submitters wake up, no reference is left behind, and after a
 * reset the device works again.
 */

#include <kunit/test.h>

#include "vgpu_test.h"

#define CTX		1
#define RING0		VGPU_FAKE_RING(CTX, 0)
#define RING1		VGPU_FAKE_RING(CTX, 1)

/* Fences in every state a reset or removal has to handle. */
struct inflight {
	struct vgt *t;
	struct virtio_gpu_fence *parked[4];	/* taken by the host, answer held */
	struct virtio_gpu_fence *queued[2];	/* never taken by the host */
	struct virtio_gpu_fence *done;		/* answered before */
};

static void inflight_setup(struct kunit *test, struct inflight *s)
{
	struct vgt *t = vgt_create_3d(test);
	unsigned int i;

	s->t = t;
	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 2);
	s->done = vgt_fence(t, CTX, 1);
	vgt_submit(t, CTX, s->done);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_TRUE(test, vgt_signalled(s->done));

	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	vgpu_fake_host_hold(t->host, RING0);
	vgpu_fake_host_hold(t->host, RING1);
	s->parked[0] = vgt_fence(t, 0, 0);
	s->parked[1] = vgt_fence(t, CTX, 0);
	s->parked[2] = vgt_fence(t, CTX, 1);
	s->parked[3] = vgt_fence(t, 0, 0);
	for (i = 0; i < ARRAY_SIZE(s->parked); i++)
		vgt_submit(t, CTX, s->parked[i]);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_parked(t->host, VGPU_FAKE_GLOBAL), 2);

	vgpu_fake_host_hold_queue(t->host);
	s->queued[0] = vgt_fence(t, 0, 0);
	s->queued[1] = vgt_fence(t, CTX, 0);
	vgt_submit(t, CTX, s->queued[0]);
	vgt_submit(t, CTX, s->queued[1]);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_SUBMIT_3D), 5);
}

static void inflight_check_ended(struct kunit *test, struct inflight *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->parked); i++) {
		KUNIT_EXPECT_TRUE_MSG(test, vgt_signalled(s->parked[i]), "parked %u", i);
		KUNIT_EXPECT_EQ_MSG(test, s->parked[i]->base.error, -ENODEV, "parked %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vgt_refs(s->parked[i]), 1, "parked %u", i);
	}
	for (i = 0; i < ARRAY_SIZE(s->queued); i++) {
		KUNIT_EXPECT_TRUE_MSG(test, vgt_signalled(s->queued[i]), "queued %u", i);
		KUNIT_EXPECT_EQ_MSG(test, s->queued[i]->base.error, -ENODEV, "queued %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vgt_refs(s->queued[i]), 1, "queued %u", i);
	}
	KUNIT_EXPECT_EQ(test, s->done->base.error, 0);
	KUNIT_EXPECT_EQ(test, vgt_refs(s->done), 1);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked(s->t->host, VGPU_FAKE_GLOBAL), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked(s->t->host, RING0), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked(s->t->host, RING1), 0);
}

/* Lets a reset device answer again: the fake keeps holds across resets. */
static void unhold_all(struct vgt *t)
{
	vgpu_fake_host_release_queue(t->host);
	vgt_release(t, VGPU_FAKE_GLOBAL);
	vgt_release(t, RING0);
	vgt_release(t, RING1);
}

/*
 * A device reset with fences parked on three timelines and commands the
 * host never took: every one of those fences signals with -ENODEV, the
 * driver drops all its references, and the device is live again with both
 * queues.
 */
static void reset_fences_in_flight(struct kunit *test)
{
	struct inflight s;

	inflight_setup(test, &s);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(s.t->vgdev), 0);
	inflight_check_ended(test, &s);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(s.t->host), 2);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_status(s.t->host) & VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(s.t->vgdev->unplugged));
}

struct reset_at_find_vqs {
	struct inflight *s;
	unsigned int calls;
	unsigned int pending;
};

static void reset_count_pending(void *data)
{
	struct reset_at_find_vqs *at = data;
	unsigned int i;

	at->calls++;
	for (i = 0; i < ARRAY_SIZE(at->s->parked); i++)
		at->pending += !vgt_signalled(at->s->parked[i]);
	for (i = 0; i < ARRAY_SIZE(at->s->queued); i++)
		at->pending += !vgt_signalled(at->s->queued[i]);
}

/*
 * A reset ends every fence before it allocates: when it asks for the new
 * virtqueues, no fence of the old device is pending any more, so no fence
 * ever waits on that allocation.
 */
static void reset_ends_fences_before_new_queues(struct kunit *test)
{
	struct reset_at_find_vqs *at = kunit_kzalloc(test, sizeof(*at), GFP_KERNEL);
	struct inflight *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, at);
	KUNIT_ASSERT_NOT_NULL(test, s);
	inflight_setup(test, s);
	at->s = s;
	vgpu_fake_host_on(s->t->host, VGPU_FAKE_ON_FIND_VQS, reset_count_pending, at);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(s->t->vgdev), 0);
	vgpu_fake_host_on(s->t->host, VGPU_FAKE_ON_FIND_VQS, NULL, NULL);
	KUNIT_ASSERT_EQ(test, at->calls, 1);
	KUNIT_EXPECT_EQ(test, at->pending, 0);
	inflight_check_ended(test, s);
}

/*
 * After a reset with work in flight the device works again: once the host
 * context is created anew (a reset loses it), new global and ring fences
 * complete without error, with ids after every id used before, and a
 * synchronous command gets its answer.
 */
static void reset_then_works(struct kunit *test)
{
	const struct virtio_gpu_capset_data *data;
	struct virtio_gpu_fence *g, *r;
	struct inflight s;

	inflight_setup(test, &s);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(s.t->vgdev), 0);
	unhold_all(s.t);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_get_ctx(s.t->host, CTX, NULL));
	vgt_context(s.t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 0);

	g = vgt_fence(s.t, 0, 0);
	r = vgt_fence(s.t, CTX, 1);
	vgt_submit(s.t, CTX, g);
	vgt_submit(s.t, CTX, r);
	KUNIT_ASSERT_TRUE(test, vgt_settle(s.t));
	KUNIT_EXPECT_TRUE(test, vgt_signalled(g));
	KUNIT_EXPECT_TRUE(test, vgt_signalled(r));
	KUNIT_EXPECT_EQ(test, g->base.error, 0);
	KUNIT_EXPECT_EQ(test, r->base.error, 0);
	KUNIT_EXPECT_GT(test, g->base.seqno, s.queued[1]->base.seqno);
	KUNIT_EXPECT_GT(test, r->base.seqno, g->base.seqno);
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(s.t->vgdev, VIRTIO_GPU_CAPSET_VIRGL2, 2,
						    &data), 0);
}

/*
 * Two resets in a row, the second with nothing in flight, both succeed and
 * the device still answers.
 */
static void reset_twice(struct kunit *test)
{
	struct virtio_gpu_fence *f;
	struct inflight s;

	inflight_setup(test, &s);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(s.t->vgdev), 0);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(s.t->vgdev), 0);
	inflight_check_ended(test, &s);
	unhold_all(s.t);
	vgt_context(s.t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 0);
	f = vgt_fence(s.t, CTX, 0);
	vgt_submit(s.t, CTX, f);
	KUNIT_ASSERT_TRUE(test, vgt_settle(s.t));
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f));
	KUNIT_EXPECT_EQ(test, f->base.error, 0);
}

/*
 * The host answered a fence (the buffer is in the used ring) but the
 * driver has not processed the answer when the reset comes: the answer
 * still counts, the fence signals without error, while a fence the host
 * still held signals with -ENODEV.
 */
static void reset_keeps_given_answers(struct kunit *test)
{
	struct virtio_gpu_fence *answered, *held;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	vgpu_fake_host_hold(t->host, RING0);
	answered = vgt_fence(t, CTX, 0);
	held = vgt_fence(t, CTX, 0);
	vgt_submit(t, CTX, answered);
	vgt_submit(t, CTX, held);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	KUNIT_EXPECT_EQ(test, vgpu_fake_host_complete(t->host, RING0, answered->base.seqno), 1);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(t->vgdev), 0);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(answered));
	KUNIT_EXPECT_EQ(test, answered->base.error, 0);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(held));
	KUNIT_EXPECT_EQ(test, held->base.error, -ENODEV);
}

/* A synchronous command whose answer the host holds. */
struct sync_cmd {
	struct virtio_gpu_fence *fence;
	int ret;
};

static int sync_cmd_run(struct vgt_thread *th)
{
	struct sync_cmd *sc = th->data;
	struct virtio_gpu_cmd_submit *cmd;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_vbuf_alloc(sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	if (!vbuf)
		return -ENOMEM;
	cmd = vbuf->cmd;
	cmd->hdr.type = cpu_to_le32(VIRTIO_GPU_CMD_SUBMIT_3D);
	cmd->hdr.ctx_id = cpu_to_le32(CTX);
	dma_fence_get(&sc->fence->base);
	vbuf->fence = sc->fence;
	sc->ret = virtio_gpu_cmd_sync(th->t->vgdev, vbuf);
	virtio_gpu_vbuf_put(vbuf);
	return 0;
}

static struct vgt_thread *sync_waiter(struct kunit *test, struct vgt *t,
				      struct sync_cmd *sc)
{
	struct vgt_thread *th;

	vgt_context(t, CTX, 0, 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	sc->fence = vgt_fence(t, 0, 0);
	sc->ret = 1;
	th = vgt_thread_create(t, sync_cmd_run, sc);
	vgt_thread_start(th);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(t->host, VIRTIO_GPU_CMD_SUBMIT_3D, 1));
	KUNIT_ASSERT_FALSE(test, completion_done(&th->done));
	return th;
}

/*
 * A thread waits synchronously for a command whose answer the host holds;
 * a device reset ends the wait with -ENODEV and the command's fence
 * signals with -ENODEV.
 */
static void reset_wakes_sync_waiter(struct kunit *test)
{
	struct vgt *t = vgt_create_3d(test);
	struct vgt_thread *th;
	struct sync_cmd *sc;

	sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sc);
	th = sync_waiter(test, t, sc);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(t->vgdev), 0);
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));
	KUNIT_EXPECT_EQ(test, th->ret, 0);
	KUNIT_EXPECT_EQ(test, sc->ret, -ENODEV);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(sc->fence));
	KUNIT_EXPECT_EQ(test, sc->fence->base.error, -ENODEV);
	KUNIT_EXPECT_EQ(test, vgt_refs(sc->fence), 1);
}

/*
 * The same synchronous waiter, woken by removal of the driver instead.
 */
static void remove_wakes_sync_waiter(struct kunit *test)
{
	struct vgt *t = vgt_create_3d(test);
	struct vgt_thread *th;
	struct sync_cmd *sc;

	sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sc);
	th = sync_waiter(test, t, sc);
	vgt_unbind(t);
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));
	KUNIT_EXPECT_EQ(test, sc->ret, -ENODEV);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(sc->fence));
	KUNIT_EXPECT_EQ(test, sc->fence->base.error, -ENODEV);
	KUNIT_EXPECT_EQ(test, vgt_refs(sc->fence), 1);
}

/*
 * The driver is removed with fences parked on three timelines and
 * commands the host never took: every fence signals with -ENODEV, every
 * reference the driver held is dropped, and the device is left with no
 * queues and no driver.
 */
static void remove_fences_in_flight(struct kunit *test)
{
	struct inflight s;

	inflight_setup(test, &s);
	vgt_unbind(s.t);
	inflight_check_ended(test, &s);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_bound(s.t->host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(s.t->host), 0);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_status(s.t->host) & VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(s.t->vgdev->unplugged));
}

/*
 * A fence created after the driver was removed is returned already
 * signalled with -ENODEV, so a late user never waits for it.
 */
static void remove_then_fence_alloc(struct kunit *test)
{
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_unbind(t);
	KUNIT_ASSERT_NOT_NULL_MSG(test, t->vgdev->fence_drv.global,
				  "the global timeline is gone: allocating would oops");
	fence = vgt_fence(t, 0, 0);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));
	KUNIT_EXPECT_EQ(test, fence->base.error, -ENODEV);
	KUNIT_EXPECT_EQ(test, vgt_refs(fence), 1);
}

/*
 * A reset asked for after the driver was removed (a late timeout, say)
 * fails with -ENODEV and does not bring the device back to life.
 */
static void remove_then_reset(struct kunit *test)
{
	struct vgt *t = vgt_create_3d(test);

	vgt_unbind(t);
	KUNIT_EXPECT_EQ(test, virtio_gpu_device_reset(t->vgdev), -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(t->host), 0);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_status(t->host) & VIRTIO_CONFIG_S_DRIVER_OK);
}

/* A thread submitting fenced commands back to back. */
#define RACE_CMDS	32

static const __le32 race_stream[2] = { cpu_to_le32(7), cpu_to_le32(8) };

struct race_env {
	struct virtio_gpu_fence *f[RACE_CMDS];
	int ret[RACE_CMDS];
};

static int race_submit(struct vgt_thread *th)
{
	struct race_env *e = th->data;
	unsigned int i;

	for (i = 0; i < RACE_CMDS; i++) {
		e->ret[i] = virtio_gpu_cmd_submit_3d(th->t->vgdev, CTX, race_stream,
						     sizeof(race_stream), e->f[i]);
		atomic_inc(&th->progress);
	}
	return 0;
}

static struct race_env *race_setup(struct kunit *test, struct vgt *t)
{
	struct race_env *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, e);
	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 2);
	for (i = 0; i < RACE_CMDS; i++) {
		e->f[i] = vgt_fence(t, i % 3 ? CTX : 0, i % 2);
		e->ret[i] = 1;
	}
	return e;
}

/*
 * A thread submits fenced commands while the driver is removed. Whatever
 * the interleaving: each submission succeeds or fails with -ENODEV, and
 * once one failed all later ones fail; every fence signals, without error
 * or with -ENODEV, a failed submission's fence with -ENODEV; no reference
 * is left.
 */
static void remove_racing_submitter(struct kunit *test)
{
	struct vgt *t = vgt_create_3d(test);
	struct vgt_thread *th;
	struct race_env *e;
	unsigned int i, ok = 0;
	bool failed = false;

	e = race_setup(test, t);
	th = vgt_thread_create(t, race_submit, e);
	vgt_thread_start(th);
	vgt_unbind(t);
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));

	for (i = 0; i < RACE_CMDS; i++) {
		struct virtio_gpu_fence *f = e->f[i];

		KUNIT_EXPECT_TRUE_MSG(test, e->ret[i] == 0 || e->ret[i] == -ENODEV,
				      "submission %u returned %d", i, e->ret[i]);
		if (failed)
			KUNIT_EXPECT_EQ_MSG(test, e->ret[i], -ENODEV, "submission %u", i);
		failed |= e->ret[i] == -ENODEV;
		ok += !e->ret[i];
		KUNIT_EXPECT_TRUE_MSG(test, vgt_signalled(f), "fence %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, f->base.error == 0 || f->base.error == -ENODEV,
				      "fence %u error %d", i, f->base.error);
		if (e->ret[i])
			KUNIT_EXPECT_EQ_MSG(test, f->base.error, -ENODEV, "fence %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vgt_refs(f), 1, "fence %u", i);
	}
	kunit_info(test, "%u of %u submissions went through before the removal\n",
		   ok, RACE_CMDS);
}

/*
 * A thread submits fenced commands while the device is reset and the host
 * holds every answer. Each submission succeeds or fails with -ENODEV;
 * fences pending at the reset signal with -ENODEV; the others are answered
 * once the host lets go, without error, or with -ENOENT when they reached
 * the host after the reset had dropped the context. Nothing keeps a
 * reference.
 */
static void reset_racing_submitter(struct kunit *test)
{
	struct vgt *t = vgt_create_3d(test);
	struct vgt_thread *th;
	struct race_env *e;
	unsigned int i;

	e = race_setup(test, t);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	vgpu_fake_host_hold(t->host, RING0);
	vgpu_fake_host_hold(t->host, RING1);
	th = vgt_thread_create(t, race_submit, e);
	vgt_thread_start(th);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(t->vgdev), 0);
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	unhold_all(t);

	for (i = 0; i < RACE_CMDS; i++) {
		struct virtio_gpu_fence *f = e->f[i];

		KUNIT_EXPECT_TRUE_MSG(test, e->ret[i] == 0 || e->ret[i] == -ENODEV,
				      "submission %u returned %d", i, e->ret[i]);
		KUNIT_EXPECT_TRUE_MSG(test, vgt_signalled(f), "fence %u", i);
		/* After the reset the host no longer knows the context: -ENOENT. */
		KUNIT_EXPECT_TRUE_MSG(test, f->base.error == 0 || f->base.error == -ENODEV ||
				      f->base.error == -ENOENT,
				      "fence %u error %d", i, f->base.error);
		if (e->ret[i])
			KUNIT_EXPECT_EQ_MSG(test, f->base.error, -ENODEV, "fence %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vgt_refs(f), 1, "fence %u", i);
	}
}

/*
 * A submitter sleeps on a full control queue the host does not serve; the
 * driver is removed. The submitter wakes and fails with -ENODEV, the
 * commands that were queued end with their fences signalled with -ENODEV,
 * and every later submission fails at once.
 */
static void remove_wakes_blocked_submitter(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct vgt_thread *th;
	struct race_env *e;
	unsigned int i, fit;
	struct vgt *t;

	vgt_config_3d(&cfg);
	cfg.ctrl_queue_size = 8;
	t = vgt_create(test, &cfg);
	e = race_setup(test, t);
	vgpu_fake_host_hold_queue(t->host);
	th = vgt_thread_create(t, race_submit, e);
	vgt_thread_start(th);
	KUNIT_ASSERT_TRUE(test, vgt_wait_blocked(t));
	fit = atomic_read(&th->progress);
	KUNIT_ASSERT_EQ(test, fit, 8);

	vgt_unbind(t);
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));
	for (i = 0; i < RACE_CMDS; i++) {
		KUNIT_EXPECT_EQ_MSG(test, e->ret[i], i < fit ? 0 : -ENODEV, "submission %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, vgt_signalled(e->f[i]), "fence %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e->f[i]->base.error, -ENODEV, "fence %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vgt_refs(e->f[i]), 1, "fence %u", i);
	}
}

static struct kunit_case reset_cases[] = {
	KUNIT_CASE(reset_fences_in_flight),
	KUNIT_CASE(reset_ends_fences_before_new_queues),
	KUNIT_CASE(reset_then_works),
	KUNIT_CASE(reset_twice),
	KUNIT_CASE(reset_keeps_given_answers),
	KUNIT_CASE(reset_wakes_sync_waiter),
	KUNIT_CASE(reset_racing_submitter),
	KUNIT_CASE(remove_fences_in_flight),
	KUNIT_CASE(remove_wakes_sync_waiter),
	KUNIT_CASE(remove_then_fence_alloc),
	KUNIT_CASE(remove_then_reset),
	KUNIT_CASE(remove_racing_submitter),
	KUNIT_CASE(remove_wakes_blocked_submitter),
	{}
};

VGPU_FAKE_SUITES(reset_suite, "virtio_gpu_reset", reset_cases);
