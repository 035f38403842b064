import { describe, expect, it } from 'vitest';
import { hoplabCmd, labCommands } from '../../src/core/suggest.js';
import { renderTemplates } from '../../src/labs/templates.js';
import { baseFacts } from '../fixtures/labs/fake-cluster.js';

describe('suggested commands name the lab', () => {
  it('hoplabCmd: --name for any lab but the default', () => {
    expect(hoplabCmd('lab', 'down')).toBe('hoplab down');
    expect(hoplabCmd('m18a', 'up --cni calico-ipip')).toBe('hoplab --name m18a up --cni calico-ipip');
  });

  it("labCommands: every hoplab command of a step's text, once, prose left alone", () => {
    const text = 'Run `hoplab ssh office-gw -- ip route`, then hoplab kubectl get pods.\nhoplab runs these; hoplab --name other ssh x stays.';
    expect(labCommands(text, 'm18a')).toBe(
      'Run `hoplab --name m18a ssh office-gw -- ip route`, then hoplab --name m18a kubectl get pods.\nhoplab runs these; hoplab --name other ssh x stays.',
    );
    expect(labCommands(text, 'lab')).toBe(text);
  });
});

describe('step text before the cluster has what it names', () => {
  it('shows placeholders, never raw templates', () => {
    const text = 'ping {{ pods.httpd.ip }} from {{ nodes.node-1.internalIP }} via {{ services.web.clusterIP }} in {{ lab.namespace }}';
    expect(renderTemplates(text, undefined)).toBe('ping HTTPD-IP from NODE-1-INTERNALIP via WEB-CLUSTERIP in NAMESPACE');
    expect(renderTemplates(text, baseFacts())).toBe('ping HTTPD-IP from 192.168.56.11 via WEB-CLUSTERIP in default');
  });

  it('names the lab in its hoplab commands', () => {
    expect(renderTemplates('hoplab ssh node-1 -- ping {{ pods.httpd.ip }}', baseFacts(), 'm18a')).toBe('hoplab --name m18a ssh node-1 -- ping HTTPD-IP');
  });
});
