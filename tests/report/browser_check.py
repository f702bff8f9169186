#!/usr/bin/env python3
"""Opens a run's report.html in headless Chromium (Debian's chromium, driven by chromedriver over the
WebDriver protocol) with the network off, and fails unless the page is what docs/report.md says:

  - no console message of level SEVERE (a script error, an uncaught exception, a CSP violation);
  - no request but the page itself (file://) and its own data: URLs;
  - every chart and picture canvas has paint on it;
  - the top of the page says what the run is: --expect certified | refused | tampered (then the first
    banner is "Verification failed", in red).

Keeps a screenshot of the whole page as RUN_DIR/report.png. With --tamper, first copies RUN_DIR to
RUN_DIR-tampered, raises the certificate's output_bits there, and writes that copy's report with
--dira.

  browser_check.py --dira build/bin/dira --expect refused RUN_DIR
"""
import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
RED = 'rgb(179, 18, 31)'  # --bad in report_page.css
CHARTS = ['chart-chsh', 'chart-pairs', 'chart-pair-wins', 'chart-entropy', 'chart-bias', 'chart-health', 'chart-losses']


def fail(message):
    print('FAIL: ' + message)
    sys.exit(1)


class WebDriver:
    def __init__(self):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen([CHROMEDRIVER, '--port=%d' % self.port], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.base = 'http://127.0.0.1:%d' % self.port
        for _ in range(100):
            try:
                if self.call('GET', '/status')['ready']:
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            fail('chromedriver did not start')
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())['value']
        except urllib.error.HTTPError as e:
            fail('WebDriver %s %s: %s' % (method, path, e.read().decode(errors='replace')[:2000]))

    def start(self):
        capabilities = {'browserName': 'chrome',
                        'goog:chromeOptions': {'binary': CHROMIUM,
                                               'args': ['--headless=new', '--no-sandbox', '--disable-gpu',
                                                        '--disable-dev-shm-usage', '--window-size=1280,1000',
                                                        '--proxy-server=127.0.0.1:9', '--host-resolver-rules=MAP * ~NOTFOUND',
                                                        '--force-device-scale-factor=1']},
                        'goog:loggingPrefs': {'browser': 'ALL', 'performance': 'ALL'}}
        self.session = self.call('POST', '/session', {'capabilities': {'alwaysMatch': capabilities}})['sessionId']
        # The network off as well: only file:// and data: can load.
        self.s('POST', '/chromium/network_conditions',
               {'network_conditions': {'offline': True, 'latency': 0, 'download_throughput': 0, 'upload_throughput': 0}})

    def s(self, method, path, body=None):
        return self.call(method, '/session/%s%s' % (self.session, path), body)

    def script(self, source, *args):
        return self.s('POST', '/execute/sync', {'script': source, 'args': list(args)})

    def log(self, kind):
        return self.s('POST', '/se/log', {'type': kind})

    def close(self):
        if self.session:
            self.call('DELETE', '/session/' + self.session)
        self.process.terminate()
        self.process.wait(timeout=10)


def tamper(run_dir, dira):
    copy = run_dir.rstrip('/') + '-tampered'
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(run_dir, copy, symlinks=True)
    path = os.path.join(copy, 'certificate.json')
    with open(path) as f:
        certificate = json.load(f)
    certificate['output_bits'] = certificate.get('output_bits', 0) + 100000
    certificate['verdict'] = 'certified'
    with open(path, 'w') as f:
        json.dump(certificate, f)
    subprocess.run([dira, 'report', copy], check=True)
    return copy


CANVAS_PAINT = '''
return Array.from(document.querySelectorAll('canvas')).map(function (c) {
  var data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, painted = 0;
  for (var i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return {id: c.id, painted: painted, pixels: c.width * c.height};
});'''

TOP = '''
var first = document.querySelector('main').firstElementChild, verdict = document.getElementById('verdict');
return {first: first.id, first_text: first.textContent, first_color: getComputedStyle(first).color,
        verdict_text: verdict.textContent, verdict_color: getComputedStyle(verdict).color,
        height: document.documentElement.scrollHeight};'''


def check(driver, run_dir, expect, reason):
    page = os.path.abspath(os.path.join(run_dir, 'report.html'))
    if not os.path.isfile(page):
        fail(page + ' does not exist')
    driver.s('POST', '/url', {'url': 'file://' + page})
    for _ in range(300):
        if driver.script('return document.documentElement.dataset.drawn || null;') is not None:
            break
        time.sleep(0.1)
    else:
        fail('the page script never finished drawing (see the console messages below)\n' +
             '\n'.join(e['message'] for e in driver.log('browser')))

    problems = []
    for entry in driver.log('browser'):
        if entry['level'] == 'SEVERE':
            problems.append('console: ' + entry['message'])
    for entry in driver.log('performance'):
        message = json.loads(entry['message'])['message']
        if message['method'] == 'Network.requestWillBeSent':
            url = message['params']['request']['url']
            if not (url == 'file://' + page or url.startswith('data:')):
                problems.append('request: ' + url)

    canvases = {c['id']: c for c in driver.script(CANVAS_PAINT)}
    wanted = CHARTS + ['picture-original']
    if expect == 'certified':
        wanted += ['picture-weak', 'picture-output']
    for name in wanted:
        if name not in canvases:
            problems.append('no canvas ' + name)
        elif canvases[name]['painted'] == 0:
            problems.append('canvas %s is blank' % name)

    top = driver.script(TOP)
    if expect == 'tampered':
        if top['first'] != 'verification' or 'Verification failed' not in top['first_text'] or top['first_color'] != RED:
            problems.append('the top of the page does not say, in red, that verification failed: %r' % top)
    else:
        if top['first'] != 'verification' or not top['first_text'].startswith('Verified.'):
            problems.append('the run should verify: %r' % top['first_text'][:300])
        want = 'Certified' if expect == 'certified' else 'Not certified'
        if not top['verdict_text'].startswith(want) or (expect == 'refused') != (top['verdict_color'] == RED):
            problems.append('the verdict should read "%s": %r in %s' % (want, top['verdict_text'][:300], top['verdict_color']))
        if reason and not re.search(reason, top['verdict_text']):
            problems.append('the verdict does not say why in words (%r): %r' % (reason, top['verdict_text'][:500]))

    driver.s('POST', '/window/rect', {'width': 1280, 'height': min(int(top['height']) + 40, 16000)})
    png = base64.b64decode(driver.s('GET', '/screenshot'))
    with open(os.path.join(run_dir, 'report.png'), 'wb') as f:
        f.write(png)
    print('%s: %d canvases painted, %d bytes of screenshot in %s' %
          (page, sum(1 for c in canvases.values() if c['painted']), len(png), os.path.join(run_dir, 'report.png')))
    if problems:
        fail('\n  '.join([page] + problems))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('run_dir')
    parser.add_argument('--expect', choices=['certified', 'refused', 'tampered'], required=True)
    parser.add_argument('--reason', help='a regular expression the verdict must match (why the run certifies nothing)')
    parser.add_argument('--tamper', action='store_true', help='check a tampered copy of RUN_DIR')
    parser.add_argument('--dira', help='the dira command (for --tamper)')
    args = parser.parse_args()
    run_dir = tamper(args.run_dir, args.dira) if args.tamper else args.run_dir
    driver = WebDriver()
    try:
        driver.start()
        check(driver, run_dir, args.expect, args.reason)
    finally:
        driver.close()
    print('PASS')


if __name__ == '__main__':
    main()
