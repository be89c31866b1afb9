import { describe, expect, it } from 'vitest';
import { composeEnvNames, httpPathsIn, kubernetesEnvNames, servedPaths } from './schema.js';

describe('reusable deploy helpers', () => {
  it('kubernetesEnvNames reads only env blocks', () => {
    const text = [
      'containers:',
      '  - name: gateway',
      '    env:',
      '      - name: FOO',
      '        value: "1"',
      '      {{- include "x" . | nindent 6 }}',
      '      - name: {{ $name }}',
      '      - name: BAR',
      '    ports:',
      '      - name: http',
      '{{- define "dxa.env.common" -}}',
      '- name: BAZ',
      '{{- define "dxa.labels" -}}',
      '- name: NOT_ENV',
    ].join('\n');
    expect(kubernetesEnvNames(text)).toEqual(['FOO', 'BAR', 'BAZ']);
  });

  it('composeEnvNames reads map and list environments', () => {
    const text =
      'services:\n  a:\n    environment:\n      FOO: x\n  b:\n    environment:\n      - BAR=1\n      - BAZ\n';
    expect(composeEnvNames(text)).toEqual(['FOO', 'BAR', 'BAZ']);
  });

  it('httpPathsIn finds probe paths, scrape paths and URL paths but not mountPath', () => {
    const text = [
      '  path: /healthz',
      '  mountPath: /etc/dxa',
      '  prometheus.io/path: /metrics',
      '  test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/readyz"]',
    ].join('\n');
    expect(httpPathsIn(text)).toEqual(['/healthz', '/metrics', '/readyz']);
  });
});

describe('served paths', () => {
  it('are read from the gateway routes and the worker health server', () => {
    const { gateway, worker } = servedPaths();
    expect(gateway).toEqual(expect.arrayContaining(['/health', '/healthz', '/readyz', '/metrics']));
    expect(worker.sort()).toEqual(['/healthz', '/metrics', '/readyz']);
  });
});
