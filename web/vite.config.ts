/// <reference types="vitest/config" />
import { createHash } from "node:crypto";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { build, defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/** Files the service worker caches at install so the app, and Quick Show, open with no network.
 *  Big lazy chunks that the door never needs offline (the PDF renderer: door-sync stores PDF
 *  pages as images) are left to runtime caching. */
function isPrecached(file: string): boolean {
  if (file.endsWith(".map") || file === "sw.js") return false;
  if (/pdf(\.worker)?[.-]/i.test(file.split("/").pop() ?? "")) return false;
  return /\.(html|js|css|webmanifest|svg|png|woff2)$/.test(file);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Builds src/sw/service-worker.ts into dist/sw.js after the app, with the precache list and a
 *  build id derived from the emitted files baked in (a new app build = a new worker). */
function serviceWorker(): Plugin {
  let outDir = "dist";
  return {
    name: "petshots-service-worker",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const absOut = join(root, outDir);
      const files = listFiles(absOut)
        .map((p) => relative(absOut, p).split("\\").join("/"))
        .filter(isPrecached)
        .sort();
      const hash = createHash("sha256");
      for (const f of files) hash.update(f);
      const precache = files.map((f) => (f === "index.html" ? "/" : `/${f}`));
      await build({
        configFile: false,
        logLevel: "warn",
        publicDir: false,
        define: {
          __PRECACHE__: JSON.stringify(precache),
          __BUILD_ID__: JSON.stringify(hash.digest("hex").slice(0, 12)),
        },
        build: {
          outDir: absOut,
          emptyOutDir: false,
          target: "es2022",
          minify: true,
          lib: {
            entry: join(root, "src/sw/service-worker.ts"),
            formats: ["iife"],
            name: "petshotsServiceWorker",
            fileName: () => "sw.js",
          },
        },
      });
    },
  };
}

/** Inlines src/boot/door-boot.ts at the end of <body> in place of the app's module tag (the boot
 *  loads the app itself, after the door's first paint on /show), and writes the inline
 *  script's hash to dist/csp.json for a Content-Security-Policy without 'unsafe-inline'. */
function doorBoot(): Plugin {
  let outDir = "dist";
  let hash = "";
  let styleHash = "";
  return {
    name: "petshots-door-boot",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    transformIndexHtml: {
      order: "post",
      async handler(html, ctx) {
        const out = await build({
          configFile: false,
          logLevel: "warn",
          publicDir: false,
          resolve: { alias: { "@": join(root, "src") } },
          build: {
            write: false,
            target: "es2022",
            minify: true,
            lib: {
              entry: join(root, "src/boot/door-boot.ts"),
              formats: ["iife"],
              name: "petshotsBoot",
              fileName: () => "boot.js",
            },
          },
        });
        const outputs = Array.isArray(out) ? out : [out];
        const chunk = outputs
          .flatMap((o) => ("output" in o ? o.output : []))
          .find((c) => c.type === "chunk");
        if (!chunk || chunk.type !== "chunk") throw new Error("door boot did not build");
        const code = chunk.code.trim();
        hash = createHash("sha256").update(code).digest("base64");
        const tag = /<script type="module" crossorigin src="([^"]+)"><\/script>\s*/;
        const main = tag.exec(html)?.[1];
        if (!main) throw new Error("no module script in index.html");
        // The app's main stylesheet (base + door, ~2 KB gzip) goes inline: no render- and
        // script-blocking request stands between the HTML and the door's first paint.
        const cssLink = /<link rel="stylesheet" crossorigin href="\/([^"]+\.css)">\s*/;
        const cssFile = cssLink.exec(html)?.[1];
        const cssAsset = cssFile ? ctx.bundle?.[cssFile] : undefined;
        if (cssFile && cssAsset && cssAsset.type === "asset") {
          const css = String(cssAsset.source).trim();
          styleHash = createHash("sha256").update(css).digest("base64");
          html = html.replace(cssLink, () => `<style>${css}</style>\n    `);
        }
        return html
          .replace(tag, "")
          .replace(/<link rel="modulepreload"[^>]*>\s*/g, "")
          .replace("</body>", `<script data-main="${main}">${code}</script>\n  </body>`);
      },
    },
    closeBundle() {
      const dir = join(root, outDir);
      writeFileSync(
        join(dir, "csp.json"),
        JSON.stringify(
          {
            "script-src": ["'self'", `'sha256-${hash}'`],
            "style-src": ["'self'", ...(styleHash ? [`'sha256-${styleHash}'`] : [])],
          },
          null,
          2,
        ) + "\n",
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), doorBoot(), serviceWorker()],
  resolve: { alias: { "@": join(root, "src") } },
  build: {
    target: "es2022",
    sourcemap: false,
    cssCodeSplit: true,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      "/auth": "http://localhost:8000",
      "/api": "http://localhost:8000",
      "/p/": "http://localhost:8000",
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./vitest.setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    pool: "threads",
    maxWorkers: 2,
    restoreMocks: true,
  },
});
