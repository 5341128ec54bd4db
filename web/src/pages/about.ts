// About and open-source licenses (#/about). Lightweight Charts' Apache-2.0 licence asks
// for its NOTICE and a visible link to TradingView: both are here, and the charts keep
// their attribution logo on.

import { h } from '../dom';
import { strings, t } from '../i18n';

strings({
  ko: {
    'about.title': 'stom 정보',
    'about.body':
      'stom은 한국 개인 시스템 트레이더를 위한 오픈 매매·백테스트 플랫폼입니다. 이 화면의 모든 자료는 공개 API(/api/v1)와 WebSocket으로도 받을 수 있습니다.',
    'about.api': 'API 문서',
    'about.licenses': '오픈소스 라이선스',
    'about.notice': 'NOTICE 전문',
    'about.package': '패키지',
    'about.license': '라이선스',
    'about.holder': '저작권자',
  },
  en: {
    'about.title': 'About stom',
    'about.body':
      'stom is an open trading and backtesting platform for Korean retail algo traders. Everything on these pages is also available through the public API (/api/v1) and the WebSocket.',
    'about.api': 'API documentation',
    'about.licenses': 'Open-source licenses',
    'about.notice': 'Full NOTICE',
    'about.package': 'Package',
    'about.license': 'License',
    'about.holder': 'Copyright',
  },
});

const packages: [string, string, string, string][] = [
  [
    'TradingView Lightweight Charts™ 5',
    'Apache-2.0',
    'Copyright (с) 2025 TradingView, Inc.',
    'https://www.tradingview.com/',
  ],
  ['fancy-canvas', 'MIT', 'Copyright (c) 2019 TradingView, Inc.', 'https://github.com/tradingview/fancy-canvas'],
  ['uPlot', 'MIT', 'Copyright (c) 2022 Leon Sorokin', 'https://github.com/leeoniya/uPlot'],
  ['CodeMirror 6', 'MIT', 'Copyright (C) 2018-2021 Marijn Haverbeke and others', 'https://codemirror.net/'],
];

export default function aboutPage(root: HTMLElement): void {
  root.appendChild(
    h(
      'div',
      { class: 'page about' },
      h('h1', null, t('about.title')),
      h('p', null, t('about.body')),
      h('p', null, h('a', { href: '/docs' }, t('about.api'))),
      h('h2', null, t('about.licenses')),
      h(
        'div',
        { class: 'scroll-x' },
        h(
          'table',
          { class: 'data', id: 'licenses' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t('about.package')),
              h('th', { scope: 'col' }, t('about.license')),
              h('th', { scope: 'col' }, t('about.holder')),
            ),
          ),
          h(
            'tbody',
            null,
            packages.map(([name, lic, holder, url]) =>
              h(
                'tr',
                null,
                h('td', null, h('a', { href: url, rel: 'noopener', target: '_blank' }, name)),
                h('td', null, lic),
                h('td', null, holder),
              ),
            ),
          ),
        ),
      ),
      h(
        'p',
        null,
        'TradingView Lightweight Charts™ · Copyright (с) 2025 TradingView, Inc. · ',
        h(
          'a',
          { href: 'https://www.tradingview.com/', rel: 'noopener', target: '_blank' },
          'https://www.tradingview.com/',
        ),
      ),
      h('p', null, h('a', { href: '/assets/NOTICE.txt' }, t('about.notice'))),
    ),
  );
}
