// Login and registration (#/login, #/register). Registration signs in at once.

import { api } from '../api';
import { field, h } from '../dom';
import { strings, t } from '../i18n';
import { current, navigate, type PageContext } from '../router';
import { completeSignIn } from '../session';
import { errorText, notice } from '../ui';

strings({
  ko: {
    'login.title': 'stom 로그인',
    'login.username': '아이디 또는 이메일',
    'login.password': '비밀번호',
    'login.submit': '로그인',
    'login.to_register': '계정이 없으신가요? 회원가입',
    'register.title': '회원가입',
    'register.username': '아이디',
    'register.email': '이메일',
    'register.password': '비밀번호 (12자 이상 권장)',
    'register.submit': '가입하고 로그인',
    'register.to_login': '이미 계정이 있으신가요? 로그인',
    'login.busy': '확인 중…',
  },
  en: {
    'login.title': 'Sign in to stom',
    'login.username': 'Username or email',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.to_register': 'No account yet? Register',
    'register.title': 'Register',
    'register.username': 'Username',
    'register.email': 'Email',
    'register.password': 'Password (12+ characters recommended)',
    'register.submit': 'Register and sign in',
    'register.to_login': 'Already registered? Sign in',
    'login.busy': 'Checking…',
  },
});

interface Tokens {
  access_token: string;
  refresh_token: string;
}

export default function loginPage(root: HTMLElement, _ctx: PageContext): void {
  const registering = current().path === '/register';
  const status = h('div', { 'aria-live': 'polite' });
  const input = (id: string, type: string, autocomplete: string) =>
    h('input', { id, name: id, type, autocomplete, required: true });

  const username = input(registering ? 'register-username' : 'login-username', 'text', 'username');
  const email = registering ? input('register-email', 'email', 'email') : null;
  const password = input(
    registering ? 'register-password' : 'login-password',
    'password',
    registering ? 'new-password' : 'current-password',
  );
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', id: registering ? 'register-submit' : 'login-submit' },
    t(registering ? 'register.submit' : 'login.submit'),
  );

  const form = h(
    'form',
    { class: 'auth-form panel', 'aria-labelledby': 'auth-title' },
    h('h1', { id: 'auth-title' }, t(registering ? 'register.title' : 'login.title')),
    field(t(registering ? 'register.username' : 'login.username'), username),
    email ? field(t('register.email'), email) : null,
    field(t(registering ? 'register.password' : 'login.password'), password),
    submit,
    status,
    h(
      'p',
      null,
      h(
        'a',
        { href: registering ? '#/login' : '#/register' },
        t(registering ? 'register.to_login' : 'login.to_register'),
      ),
    ),
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    status.replaceChildren(notice('info', t('login.busy')));
    try {
      const name = username.value.trim();
      if (registering) {
        await api.post('/auth/register', { username: name, email: email!.value.trim(), password: password.value });
      }
      const body = name.includes('@')
        ? { email: name, password: password.value }
        : { username: name, password: password.value };
      const tokens = await api.post<Tokens>('/auth/login', body);
      await completeSignIn(tokens);
      navigate('/dashboard');
    } catch (err) {
      status.replaceChildren(notice('error', errorText(err)));
      submit.disabled = false;
    }
  });
  root.appendChild(h('div', { class: 'auth-page' }, form));
  username.focus();
}
