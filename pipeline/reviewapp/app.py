"""The review web application (Flask): an index of a locale's articles, and per article the two pages side by
side and every unit with its state, diff, findings and the reviewer's Approve / Reject.

Only the person with the one-time token gets in: the start page takes it from the address ``l10n review``
printed, once (a second browser given the same address is refused), and sets it as an HttpOnly,
SameSite=Strict cookie; every other request needs the cookie (or the
``X-Review-Token`` header), and every POST the token in its form (or the header) as CSRF protection.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from flask import Flask, Response, abort, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from pipeline.core.errors import LockError
from pipeline.po.review import CATEGORIES, SEVERITIES, validate_name
from pipeline.reviewapp.decisions import CatalogChanged, Refused, approve_clean, decide
from pipeline.reviewapp.preview import source_page, translated_page
from pipeline.reviewapp.units import ArticleReview, load_article
from pipeline.workflow import Project
from pipeline.workflow.review import review_status

COOKIE = "l10n_review_token"
HEADER = "X-Review-Token"
#: The page's own files (package data); nothing else is served from disk.
ASSETS = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8"}
#: The application's pages: its own script and style only, framed by nobody, forms posted only to itself.
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-src 'self'; "
           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
#: An article shown in its frame: sandboxed (no script, no form, an origin of its own), nothing loaded.
PAGE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'"
CHANGED = "the catalog changed since you opened it; reloaded"
_HOSTS = ("127.0.0.1", "localhost")


def create_app(project: Project, locale: str, articles: Sequence[str] | None, reviewer: str | None, token: str,
               *, lock_timeout: float = 5.0) -> Flask:
    """The review application for ``locale`` (of ``articles``, default all), for ``reviewer`` (else the page
    asks for a name), reachable only with ``token``."""
    loc = project.config.locale(locale)
    selected = list(articles) if articles else None
    app = Flask(__name__, static_folder=None)   # no static route: only the routes below exist
    state: dict[str, str] = {"reviewer": validate_name(reviewer) if reviewer else "", "link_used": ""}
    fixed_reviewer = bool(reviewer)
    exchange = threading.Lock()     # the server is threaded: two uses of the link at once are still two

    def has_token(value: str | None) -> bool:
        return value is not None and bool(value) and secrets.compare_digest(value.encode("utf-8"),
                                                                           token.encode("utf-8"))

    @app.before_request
    def guard() -> BaseResponse | None:
        if request.host.rsplit(":", 1)[0] not in _HOSTS:
            abort(403)          # another name for this address (DNS rebinding): not ours
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is not None and origin != request.host_url.rstrip("/"):
                abort(403)
            if not has_token(request.form.get("token") or request.headers.get(HEADER)):
                abort(403)
            return None
        if request.endpoint == "index" and has_token(request.args.get("token")):
            with exchange:
                if state["link_used"] and not has_token(request.cookies.get(COOKIE)):
                    abort(403, description="used")   # one time: a copy of the address opens nothing elsewhere
                state["link_used"] = "yes"
            response = redirect(url_for("index"), code=303)     # the token leaves the address bar
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
        if not (has_token(request.cookies.get(COOKIE)) or has_token(request.headers.get(HEADER))):
            abort(403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = APP_CSP
            response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"   # (no-referrer would make Origin "null")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def error(exc: HTTPException) -> tuple[str, int]:
        return render_template("error.html", code=exc.code, name=exc.name, forbidden=exc.code == 403,
                               link_used=exc.description == "used", **common()), exc.code or 500

    def common() -> dict[str, Any]:
        return {"project": project.config.project, "locale": loc, "reviewer": state["reviewer"],
                "fixed_reviewer": fixed_reviewer, "token": token}

    def article_or_404(slug: str) -> None:
        if selected is not None and slug not in selected:
            abort(404)

    def article_page(slug: str, *, notice: str = "", kind: str = "ok", status: int = 200) -> tuple[str, int]:
        article_or_404(slug)
        try:
            review = load_article(project, loc.code, slug)
            unpublished = translated_page(project, loc.code, slug).unpublished
        except LookupError:
            abort(404)
        return render_template("article.html", review=review, unpublished=unpublished, notice=notice,
                               kind=kind, categories=CATEGORIES, severities=SEVERITIES, **common()), status

    @app.get("/")
    def index() -> str:
        status = review_status(project, loc.code, selected)
        totals: dict[str, int] = {}
        for counts in status.values():
            for key, value in counts.units.items():
                totals[key] = totals.get(key, 0) + value
        return render_template("index.html", status=status, totals=totals, **common())

    @app.get("/assets/<name>")
    def asset(name: str) -> Response:
        if name not in ASSETS:
            abort(404)
        data = files("pipeline.reviewapp").joinpath("static").joinpath(name).read_bytes()
        return Response(data, content_type=ASSETS[name])

    @app.get("/article/<slug>")
    def article(slug: str) -> tuple[str, int]:
        notice = ""
        done, unit = request.args.get("done", ""), request.args.get("unit", "")
        if done in ("approved", "rejected") and unit.isdigit():
            notice = f"Unit {int(unit)} {done}."
        elif done == "clean":
            approved, held = request.args.get("approved", "0"), request.args.get("held", "0")
            if approved.isdigit() and held.isdigit():
                notice = f"{int(approved)} clean unit(s) approved; {int(held)} held back for a person."
        return article_page(slug, notice=notice)

    @app.get("/article/<slug>/page/<kind>")
    def page(slug: str, kind: str) -> Response:
        article_or_404(slug)
        try:
            shown = source_page(project, slug) if kind == "source" else \
                translated_page(project, loc.code, slug) if kind == "translation" else None
        except LookupError:
            abort(404)
        if shown is None:
            abort(404)
        response = Response(shown.html, content_type="text/html; charset=utf-8")
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @app.post("/reviewer")
    def set_reviewer() -> BaseResponse | tuple[str, int]:
        back = request.form.get("back", "")
        if fixed_reviewer:
            abort(400)
        try:
            state["reviewer"] = validate_name(request.form.get("name", ""))
        except ValueError as exc:
            if back:
                return article_page(back, notice=f"Reviewer: {exc}", kind="error", status=400)
            abort(400)
        return redirect(url_for("article", slug=back) if back else url_for("index"), code=303)

    def decision_failed(slug: str, exc: Exception) -> tuple[str, int]:
        if isinstance(exc, CatalogChanged):
            return article_page(slug, notice=CHANGED, kind="changed", status=409)
        if isinstance(exc, LockError):
            return article_page(slug, notice=f"not written: {exc.format_message()}", kind="error", status=503)
        return article_page(slug, notice=f"not written: {exc}", kind="error", status=400)

    @app.post("/article/<slug>/unit")
    def unit_decision(slug: str) -> BaseResponse | tuple[str, int]:
        article_or_404(slug)
        form = request.form
        if not state["reviewer"]:
            return article_page(slug, notice="not written: enter your name as reviewer first", kind="error",
                                status=400)
        index, number = form.get("index", ""), form.get("number", "")
        if not index.isdigit() or not number.isdigit():
            abort(400)
        verdict = form.get("verdict", "")
        try:
            decide(project, loc.code, slug, expected=form.get("hash", ""), index=int(index),
                   source=form.get("source", ""), verdict=verdict, reviewer=state["reviewer"],
                   category=form.get("category", ""), severity=form.get("severity", ""),
                   reason=form.get("reason", ""), lock_timeout=lock_timeout)
        except (CatalogChanged, Refused, LockError) as exc:
            return decision_failed(slug, exc)
        following = _next_open(load_article(project, loc.code, slug, with_checks=False), int(number))
        target = url_for("article", slug=slug, done="approved" if verdict == "approve" else "rejected",
                         unit=number)
        return redirect(f"{target}#u{following}" if following else target, code=303)

    @app.post("/article/<slug>/approve-clean")
    def clean_decision(slug: str) -> BaseResponse | tuple[str, int]:
        article_or_404(slug)
        if not state["reviewer"]:
            return article_page(slug, notice="not written: enter your name as reviewer first", kind="error",
                                status=400)
        try:
            approved, held = approve_clean(project, loc.code, slug, expected=request.form.get("hash", ""),
                                           reviewer=state["reviewer"], lock_timeout=lock_timeout)
        except (CatalogChanged, Refused, LockError) as exc:
            return decision_failed(slug, exc)
        return redirect(url_for("article", slug=slug, done="clean", approved=approved, held=held), code=303)

    return app


def _next_open(review: ArticleReview, after: int) -> int | None:
    """The number of the next unit after ``after`` still waiting for a decision (wrapping round), if any."""
    waiting = [u.number for u in review.units if u.can_approve or u.state in ("unreviewed", "stale")]
    later = [n for n in waiting if n > after]
    return (later or waiting or [0])[0] or None
