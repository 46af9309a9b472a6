"""Celery task messages for the outbox relay, built without ``Celery.send_task``.

``send_task`` redoes per message what is the same for every message of a task name (the task
registry's options, the router's route, the queue, its exchange and delivery mode, the merged
retry policy), and serialises every message's body and its ``task-sent`` event through kombu's
serializer registry: a third of the intake API's CPU (docs/BENCHMARKS.md). Here what a task
name fixes is worked out once, by Celery's own router (so a route's ``priority`` reaches the
message as it would through ``send_task``), and each message is Celery's protocol 2 (the
headers and ``[args, kwargs, embed]`` body of ``celery.app.amqp.AMQP.as_task_v2``) with its
body written as JSON here. The Redis side stays kombu's: ``Producer.publish`` with the pre-built
body puts it in the queue's priority list, inside the relay's ``Producer.batch`` pipeline, and
the ``task-sent`` event goes through the app's event dispatcher's exchange, clock and host name,
so a worker, ``celery inspect`` and Flower read both as before. Written by hand because Celery
offers no public way to publish a message it did not build per call.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from celery import Celery
from celery.utils.nodenames import anon_nodename
from celery.utils.time import utcoffset

JSON = "application/json"
UTF8 = "utf-8"
# What ``send_task``'s body carries after ``[args, kwargs``: no callbacks, chain or chord.
EMBED = b', {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]'
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}


@dataclass(frozen=True)
class Route:
    """What a task name fixes for each of its messages: worked out once, as ``send_task``
    would (``celery.app.amqp.AMQP.send_task_message``)."""

    queue: str  # the queue's name: its Redis list, before kombu's priority suffix
    declare: tuple[Any, ...]  # the kombu Queue, declared once per connection
    priority: int | None  # the route's, if it names one
    delivery_mode: int | str
    ignore_result: bool | None  # the task's own, when this process registered it
    time_limits: list[float | None]
    retry_policy: dict[str, Any]


@dataclass(frozen=True)
class TaskMessage:
    """One task to send: its name, id, keyword arguments, their summary and extra headers."""

    name: str
    task_id: str
    kwargs: dict[str, Any]
    kwargsrepr: str
    headers: dict[str, Any] | None = None


@dataclass(frozen=True)
class Parent:
    """The worker task that sends, if any: its ids are the message's root and parent."""

    root_id: str | None
    parent_id: str | None


NO_PARENT = Parent(None, None)


class TaskMessages:
    """Publishes outbox rows as Celery task messages with their ``task-sent`` events."""

    def __init__(self, app: Celery) -> None:
        self._app = app
        self._routes: dict[str, Route] = {}

    def route(self, name: str) -> Route:
        route = self._routes.get(name)
        if route is None:
            route = self._routes[name] = self._route(name)
        return route

    def _route(self, name: str) -> Route:
        app = self._app
        task = app._tasks.get(name)  # a task registered here lends its options, as send_task
        options: dict[str, Any] = {}
        if task is not None:
            exec_options = task._get_exec_options()
            options = {key: value for key, value in exec_options.items() if value is not None}
        ignore_result = options.pop("ignore_result", None)
        limits = [options.pop("time_limit", None), options.pop("soft_time_limit", None)]
        # A hand-off must not expire on its queue (the outbox sends it until it is received),
        # so a task's own ``expires`` is not carried; none of the relayed tasks sets one.
        options.pop("expires", None)
        options = app.amqp.router.route(options, name, (), {}, task)
        queue = options["queue"]
        delivery_mode = (
            options.get("delivery_mode")
            or queue.exchange.delivery_mode
            or app.conf.task_default_delivery_mode
        )
        policy = dict(app.conf.task_publish_retry_policy, **RETRY_POLICY)
        return Route(
            queue.name, (queue,), options.get("priority"), delivery_mode, ignore_result,
            limits, policy,
        )  # fmt: skip

    def send_batch(self, producer: Any, messages: Sequence[TaskMessage]) -> None:
        """Publish ``messages`` and their events as one Redis pipeline (``Producer.batch``).

        Each queue and the event exchange are declared once per batch, not per message as
        ``send_task`` does (kombu's per-connection check copies and binds the entity each time:
        a third of what was left of a message's CPU, cProfile); the declares are the only Redis
        calls made before the pipeline's, so they alone take the retry policy."""
        if not messages:
            return
        parent = self._parent()
        routes = {message.name: self.route(message.name) for message in messages}
        policy = next(iter(routes.values())).retry_policy
        entities = [entity for route in routes.values() for entity in route.declare]
        events = self._app.conf.task_send_sent_event
        if events:
            entities.append(self._app.amqp._event_dispatcher.exchange)
        # kombu's own record of what this connection declared, read before its maybe_declare
        # (which copies and binds the entity first): a reconnect empties it, and then each
        # entity is declared again, as kombu would.
        declared = producer.connection.declared_entities
        for entity in entities:
            if not entity.can_cache_declaration or hash(entity) not in declared:
                producer.maybe_declare(entity, retry=True, **policy)
        with producer.batch():
            for message in messages:
                self.publish(producer, message, routes[message.name], parent, events=events)

    def _parent(self) -> Parent:
        """The worker task running in this thread, if any (read once per batch)."""
        task = self._app.current_worker_task
        if task is None:
            return NO_PARENT
        return Parent(task.request.root_id or task.request.id, task.request.id)

    def publish(
        self, producer: Any, message: TaskMessage, route: Route, parent: Parent, *, events: bool
    ) -> None:
        """Publish one task message and its ``task-sent`` event into the producer's batch."""
        name, task_id, kwargsrepr = message.name, message.task_id, message.kwargsrepr
        root_id = parent.root_id or task_id
        header = {
            "lang": "py",
            "task": name,
            "id": task_id,
            "shadow": None,
            "eta": None,
            "expires": None,
            "group": None,
            "group_index": None,
            "retries": 0,
            "timelimit": route.time_limits,
            "root_id": root_id,
            "parent_id": parent.parent_id,
            "argsrepr": "()",
            "kwargsrepr": kwargsrepr,
            "origin": anon_nodename(),
            "ignore_result": route.ignore_result,
            "replaced_task_nesting": 0,
            "stamped_headers": None,
            "stamps": {},
        }
        if message.headers:
            header.update(message.headers)
        body = b"[[], " + json.dumps(message.kwargs).encode() + EMBED
        properties: dict[str, Any] = {
            "correlation_id": task_id,
            "reply_to": self._app.thread_oid,
        }
        if route.priority is not None:
            properties["priority"] = route.priority
        producer.publish(
            body,
            exchange="",
            routing_key=route.queue,
            content_type=JSON,
            content_encoding=UTF8,
            headers=header,
            delivery_mode=route.delivery_mode,
            **properties,
        )
        if events:
            self._sent_event(producer, route, name, task_id, root_id, parent, kwargsrepr)

    def _sent_event(
        self,
        producer: Any,
        route: Route,
        name: str,
        task_id: str,
        root_id: str,
        parent: Parent,
        kwargsrepr: str,
    ) -> None:
        """The ``task-sent`` event, as ``EventDispatcher.publish`` writes it (Flower's task
        page reads its name, arguments, queue and routing)."""
        dispatcher = self._app.amqp._event_dispatcher
        event = {
            "hostname": dispatcher.hostname,
            "utcoffset": utcoffset(),
            "pid": dispatcher.pid,
            "clock": dispatcher.clock.forward(),
            "uuid": task_id,
            "root_id": root_id,
            "parent_id": parent.parent_id,
            "name": name,
            "args": "()",
            "kwargs": kwargsrepr,
            "retries": 0,
            "eta": None,
            "expires": None,
            "queue": route.queue,
            "exchange": "",
            "routing_key": route.queue,
            "timestamp": time.time(),
            "type": "task-sent",
        }
        producer.publish(
            json.dumps(event).encode(),
            exchange=dispatcher.exchange.name,
            routing_key="task.sent",
            content_type=JSON,
            content_encoding=UTF8,
            headers=dispatcher.headers,
            delivery_mode=dispatcher.delivery_mode,
        )
