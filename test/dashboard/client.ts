import type { Hono } from "hono";
import { expect } from "vitest";
import type { z } from "zod";
import { Session } from "../../dashboard/server/contract.js";
import type { DashboardEnv } from "../../dashboard/server/security.js";

/** A browser's session against the dashboard app served in-process: its cookie and CSRF token. */
export const HOST = "127.0.0.1:8080";
export const ORIGIN = `http://${HOST}`;

export type App = Hono<DashboardEnv>;

export class Client {
  cookie = "";
  token = "";
  constructor(
    private readonly app: App,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("host", HOST);
    for (const [k, v] of Object.entries(this.extraHeaders)) headers.set(k, v);
    if (this.cookie && !headers.has("cookie")) headers.set("cookie", this.cookie);
    const response = await this.app.request(url, { ...init, headers });
    const set = response.headers.get("set-cookie");
    if (set && !this.cookie) this.cookie = set.split(";")[0]!;
    return response;
  }

  async session(): Promise<z.infer<typeof Session>> {
    const session = Session.parse(await (await this.request("/api/session")).json());
    this.token = session.csrfToken;
    return session;
  }

  async getJson<S extends z.ZodType>(schema: S, url: string): Promise<z.infer<S>> {
    const response = await this.request(url);
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    return schema.parse(body);
  }

  /** Posts a form as a browser without JavaScript does, with the CSRF field. */
  postForm(url: string, fields: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams({ _csrf: this.token });
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
    return this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
      body: body.toString(),
    });
  }
  write(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(url, {
      method,
      headers: { "content-type": "application/json", origin: ORIGIN, "x-csrf-token": this.token, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

/** Where a form post sends the browser back to (a 303): the path, its query, and both as one local URL. */
export function redirectOf(response: Response): { path: string; query: Record<string, string>; location: string } {
  expect(response.status).toBe(303);
  const url = new URL(response.headers.get("location") ?? "", ORIGIN);
  return { path: url.pathname, query: Object.fromEntries(url.searchParams), location: `${url.pathname}${url.search}` };
}
