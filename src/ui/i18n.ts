// The TUI's own words in hoplab's four languages. The English text is the key
// (as gettext does), so a component changes `'Steps'` into `t('Steps')` and
// nothing else; {name} marks a value filled in at run time. A string with no
// entry shows in English; test/unit/ui-i18n.test.ts finds every t('...') in
// src/ui and fails when one has no entry or a language lacks a {value}.
import { createContext, useContext } from 'react';
import type { Lang } from '../core/lang.js';

type Entry = { ru: string; zh: string; pt: string };

export const MESSAGES: Record<string, Entry> = {
  // start screen
  'hoplab — learn how Kubernetes moves packets, hop by hop': {
    ru: 'hoplab — как Kubernetes передаёт пакеты, переход за переходом',
    zh: 'hoplab — 逐跳学习 Kubernetes 如何转发数据包',
    pt: 'hoplab — aprenda como o Kubernetes move pacotes, salto a salto',
  },
  'Cluster:': { ru: 'Кластер:', zh: '集群:', pt: 'Cluster:' },
  'Machine:': { ru: 'Машина:', zh: '本机:', pt: 'Máquina:' },
  Labs: { ru: 'Лабораторные', zh: '实验', pt: 'Labs' },
  looking: { ru: 'проверяю', zh: '检查中', pt: 'verificando' },
  down: { ru: 'остановлен', zh: '未启动', pt: 'desligado' },
  'coming up': { ru: 'запускается', zh: '启动中', pt: 'subindo' },
  up: { ru: 'запущен', zh: '运行中', pt: 'no ar' },
  'half there (leftovers of a crash)': { ru: 'наполовину (остатки после сбоя)', zh: '残缺(崩溃后的残留)', pt: 'pela metade (restos de uma falha)' },
  'not started': { ru: 'не начата', zh: '未开始', pt: 'não iniciado' },
  '✓ complete ({n}/{n})': { ru: '✓ пройдена ({n}/{n})', zh: '✓ 已完成({n}/{n})', pt: '✓ concluído ({n}/{n})' },
  '{passed}/{n} passed': { ru: 'пройдено {passed}/{n}', zh: '已通过 {passed}/{n}', pt: '{passed}/{n} aprovados' },
  ', resume at step {n}': { ru: ', продолжить с шага {n}', zh: ',从第 {n} 步继续', pt: ', continuar no passo {n}' },
  'any CNI': { ru: 'любой CNI', zh: '任意 CNI', pt: 'qualquer CNI' },
  '(✗ not on this kernel)': { ru: '(✗ не на этом ядре)', zh: '(✗ 本机内核不支持)', pt: '(✗ não neste kernel)' },
  '~{n} min': { ru: '~{n} мин', zh: '约 {n} 分钟', pt: '~{n} min' },
  '{n} steps': { ru: 'шагов: {n}', zh: '{n} 步', pt: '{n} passos' },
  'Enter opens the lab on this cluster.': { ru: 'Enter открывает лабораторную на этом кластере.', zh: '按 Enter 在这个集群上打开实验。', pt: 'Enter abre o lab neste cluster.' },
  'Enter on a lab brings the cluster up first (a few seconds), or press u.': {
    ru: 'Enter на лабораторной сначала запускает кластер (несколько секунд), или нажмите u.',
    zh: '在实验上按 Enter 会先启动集群(几秒钟),也可以按 u。',
    pt: 'Enter num lab sobe o cluster primeiro (alguns segundos), ou aperte u.',
  },
  'Press d to clean up, then Enter.': { ru: 'Нажмите d, чтобы убрать остатки, затем Enter.', zh: '按 d 清理,然后按 Enter。', pt: 'Aperte d para limpar, depois Enter.' },
  '✗ missing {what} — install with: sudo hoplab doctor': {
    ru: '✗ не хватает: {what} — установка: sudo hoplab doctor',
    zh: '✗ 缺少 {what} — 安装:sudo hoplab doctor',
    pt: '✗ falta {what} — instale com: sudo hoplab doctor',
  },
  '… checking': { ru: '… проверяю', zh: '… 检查中', pt: '… verificando' },
  'everything the embedded lab needs is here': { ru: 'есть всё, что нужно встроенной лаборатории', zh: '内置实验所需的一切都已就绪', pt: 'tudo o que o lab embutido precisa está aqui' },
  'No labs found in labs/.': { ru: 'В labs/ нет лабораторных.', zh: 'labs/ 中没有找到实验。', pt: 'Nenhum lab encontrado em labs/.' },

  // lab screen
  Steps: { ru: 'Шаги', zh: '步骤', pt: 'Passos' },
  '↑ {n} more': { ru: '↑ ещё {n}', zh: '↑ 还有 {n} 个', pt: '↑ mais {n}' },
  '↓ {n} more': { ru: '↓ ещё {n}', zh: '↓ 还有 {n} 个', pt: '↓ mais {n}' },
  '○ todo ◔ running ✓ ✗': { ru: '○ не начат ◔ идёт ✓ ✗', zh: '○ 待做 ◔ 运行中 ✓ ✗', pt: '○ a fazer ◔ rodando ✓ ✗' },
  'This lab has no steps.': { ru: 'В этой лабораторной нет шагов.', zh: '这个实验没有步骤。', pt: 'Este lab não tem passos.' },
  'Step {n}/{total}: {title}': { ru: 'Шаг {n}/{total}: {title}', zh: '第 {n}/{total} 步:{title}', pt: 'Passo {n}/{total}: {title}' },
  'Enter: hoplab runs these · s: your shell {where} · c: check': {
    ru: 'Enter: их выполнит hoplab · s: ваша оболочка {where} · c: проверить',
    zh: 'Enter:由 hoplab 执行 · s:你的 shell {where} · c:检查',
    pt: 'Enter: o hoplab roda estes · s: seu shell {where} · c: verificar',
  },
  'hint {n}/{total}: ': { ru: 'подсказка {n}/{total}: ', zh: '提示 {n}/{total}:', pt: 'dica {n}/{total}: ' },
  '✓ Passed.': { ru: '✓ Пройдено.', zh: '✓ 通过。', pt: '✓ Aprovado.' },
  'n or ↓: the next step.': { ru: 'n или ↓: следующий шаг.', zh: 'n 或 ↓:下一步。', pt: 'n ou ↓: o próximo passo.' },
  'Steps not passed yet are marked ○ or ✗ in the list.': {
    ru: 'Непройденные шаги отмечены в списке ○ или ✗.',
    zh: '尚未通过的步骤在列表中标为 ○ 或 ✗。',
    pt: 'Passos ainda não aprovados estão marcados com ○ ou ✗ na lista.',
  },
  'Not yet.': { ru: 'Пока нет.', zh: '还没有通过。', pt: 'Ainda não.' },
  'h for a hint, ': { ru: 'h — подсказка, ', zh: 'h 看提示,', pt: 'h para uma dica, ' },
  'a for the answer, r to start the step over.': { ru: 'a — ответ, r — начать шаг заново.', zh: 'a 看答案,r 重新开始这一步。', pt: 'a para a resposta, r para recomeçar o passo.' },
  Answer: { ru: 'Ответ', zh: '答案', pt: 'Resposta' },
  'Run the commands above (Enter does it for you).': { ru: 'Выполните команды выше (Enter сделает это за вас).', zh: '执行上面的命令(按 Enter 由 hoplab 代劳)。', pt: 'Rode os comandos acima (Enter faz isso por você).' },
  '★ lab complete — every step passed. q quits; t shows the last path on the cluster.': {
    ru: '★ лабораторная пройдена — все шаги сданы. q — выход; t — последний путь на кластере.',
    zh: '★ 实验完成——所有步骤都已通过。q 退出;t 在集群上显示最后一条路径。',
    pt: '★ lab concluído — todos os passos aprovados. q sai; t mostra o último caminho no cluster.',
  },
  'paste what you ran in your own terminal, commands and their output · Ctrl-D checks · Esc cancels': {
    ru: 'вставьте то, что вы выполнили в своём терминале, команды и их вывод · Ctrl-D — проверить · Esc — отмена',
    zh: '粘贴你在自己终端里运行的内容,命令及其输出 · Ctrl-D 检查 · Esc 取消',
    pt: 'cole o que você rodou no seu próprio terminal, comandos e a saída deles · Ctrl-D verifica · Esc cancela',
  },
  '── pasted: {n} lines (p: paste box)': { ru: '── вставлено строк: {n} (p: окно вставки)', zh: '── 已粘贴 {n} 行(p:粘贴框)', pt: '── colado: {n} linhas (p: caixa de colar)' },
  'nothing pasted: nothing to check': { ru: 'ничего не вставлено: проверять нечего', zh: '没有粘贴内容:无可检查', pt: 'nada colado: nada para verificar' },
  paste: { ru: 'вставить', zh: '粘贴', pt: 'colar' },
  'paste what you ran in your own terminal (commands and their output): checked like a shell hoplab opened': {
    ru: 'вставить то, что вы выполнили в своём терминале (команды и их вывод): проверяется как оболочка, открытая hoplab',
    zh: '粘贴你在自己终端里运行的内容(命令及其输出):像 hoplab 打开的 shell 一样检查',
    pt: 'colar o que você rodou no seu próprio terminal (comandos e a saída deles): verificado como um shell aberto pelo hoplab',
  },
  '(Enter answers, Esc cancels)': { ru: '(Enter — ответить, Esc — отмена)', zh: '(Enter 回答,Esc 取消)', pt: '(Enter responde, Esc cancela)' },
  checking: { ru: 'проверка', zh: '检查', pt: 'verificando' },
  'cleaning up': { ru: 'очистка', zh: '清理', pt: 'limpando' },
  running: { ru: 'выполняется', zh: '运行', pt: 'rodando' },
  'step {n}': { ru: 'шаг {n}', zh: '第 {n} 步', pt: 'passo {n}' },
  '(Ctrl-C stops)': { ru: '(Ctrl-C — остановить)', zh: '(Ctrl-C 停止)', pt: '(Ctrl-C para)' },
  '── check of step {n} (Tab: output · K/J scroll)': {
    ru: '── проверка шага {n} (Tab: вывод · K/J прокрутка)',
    zh: '── 第 {n} 步的检查(Tab:输出 · K/J 滚动)',
    pt: '── verificação do passo {n} (Tab: saída · K/J rola)',
  },
  'output (Tab: check · K/J scroll)': { ru: 'вывод (Tab: проверка · K/J прокрутка)', zh: '输出(Tab:检查 · K/J 滚动)', pt: 'saída (Tab: verificação · K/J rola)' },
  'output (K/J scroll)': { ru: 'вывод (K/J прокрутка)', zh: '输出(K/J 滚动)', pt: 'saída (K/J rola)' },

  // check table
  'No check has run for this step yet: Enter runs it, c checks what you did.': {
    ru: 'Для этого шага ещё не было проверки: Enter выполняет шаг, c проверяет сделанное вами.',
    zh: '这一步还没有检查过:Enter 执行它,c 检查你做的操作。',
    pt: 'Nenhuma verificação rodou neste passo ainda: Enter o roda, c verifica o que você fez.',
  },
  'not checked': { ru: 'не проверено', zh: '未检查', pt: 'não verificado' },
  'path engine': { ru: 'движка путей', zh: '路径引擎', pt: 'motor de caminhos' },
  lab: { ru: 'лабораторной', zh: '实验文件', pt: 'lab' },
  '(expected from the {source})': { ru: '(ожидаемое — из {source})', zh: '(预期值来自{source})', pt: '(esperado pelo {source})' },
  hop: { ru: 'переход', zh: '跳', pt: 'salto' },
  expected: { ru: 'ожидается', zh: '预期', pt: 'esperado' },
  interface: { ru: 'интерфейс', zh: '网卡', pt: 'interface' },
  node: { ru: 'узел', zh: '节点', pt: 'node' },
  observed: { ru: 'наблюдается', zh: '实际', pt: 'observado' },
  'no answer (*)': { ru: 'нет ответа (*)', zh: '无应答 (*)', pt: 'sem resposta (*)' },
  'wrong hop': { ru: 'не тот переход', zh: '错误的跳', pt: 'salto errado' },
  missing: { ru: 'отсутствует', zh: '缺失', pt: 'faltando' },
  'extra hop': { ru: 'лишний переход', zh: '多余的跳', pt: 'salto a mais' },
  'hop {n}: ': { ru: 'переход {n}: ', zh: '第 {n} 跳:', pt: 'salto {n}: ' },
  'you said: {answer}': { ru: 'ваш ответ: {answer}', zh: '你的回答:{answer}', pt: 'você disse: {answer}' },
  '(nothing)': { ru: '(ничего)', zh: '(无)', pt: '(nada)' },
  'evidence on {machine}, where the path went wrong:': {
    ru: 'доказательства с {machine}, где путь пошёл не так:',
    zh: '在 {machine} 上的证据,路径在这里出了错:',
    pt: 'evidências em {machine}, onde o caminho deu errado:',
  },
  'failed: {error}': { ru: 'не удалось: {error}', zh: '失败:{error}', pt: 'falhou: {error}' },
  '… {n} more lines': { ru: '… ещё строк: {n}', zh: '… 还有 {n} 行', pt: '… mais {n} linhas' },

  // overlays
  Keys: { ru: 'Клавиши', zh: '按键', pt: 'Teclas' },
  'Keys in a lab': { ru: 'Клавиши в лабораторной', zh: '实验中的按键', pt: 'Teclas num lab' },
  'Keys on the start screen': { ru: 'Клавиши на стартовом экране', zh: '开始界面的按键', pt: 'Teclas na tela inicial' },
  'Esc or ? closes this help. No mouse needed.': { ru: 'Esc или ? закрывает справку. Мышь не нужна.', zh: 'Esc 或 ? 关闭帮助。不需要鼠标。', pt: 'Esc ou ? fecha esta ajuda. Não precisa de mouse.' },
  'Quit hoplab?': { ru: 'Выйти из hoplab?', zh: '退出 hoplab?', pt: 'Sair do hoplab?' },
  "The lab cluster '{lab}' is up. Your progress is saved either way.": {
    ru: "Кластер лабораторной '{lab}' запущен. Прогресс сохраняется в любом случае.",
    zh: "实验集群 '{lab}' 正在运行。无论如何,你的进度都会保存。",
    pt: "O cluster do lab '{lab}' está no ar. Seu progresso é salvo de qualquer forma.",
  },
  'quit and keep the cluster up (next time starts at once)': {
    ru: 'выйти, оставив кластер запущенным (в следующий раз старт сразу)',
    zh: '退出并保留集群运行(下次立即开始)',
    pt: 'sair e manter o cluster no ar (da próxima vez começa na hora)',
  },
  'take the cluster down, then quit': { ru: 'остановить кластер и выйти', zh: '关闭集群,然后退出', pt: 'derrubar o cluster e depois sair' },
  'or Esc: stay': { ru: 'или Esc: остаться', zh: '或 Esc:留下', pt: 'ou Esc: ficar' },
  'Open a shell where? This step runs commands in {n} places.': {
    ru: 'Где открыть оболочку? Команды этого шага выполняются в {n} местах.',
    zh: '在哪里打开 shell?这一步在 {n} 个地方执行命令。',
    pt: 'Abrir um shell onde? Este passo roda comandos em {n} lugares.',
  },
  '↑↓ choose · Enter opens it · Esc cancels. Type exit in the shell to come back.': {
    ru: '↑↓ выбор · Enter открывает · Esc отмена. Чтобы вернуться, введите в оболочке exit.',
    zh: '↑↓ 选择 · Enter 打开 · Esc 取消。在 shell 中输入 exit 返回。',
    pt: '↑↓ escolhe · Enter abre · Esc cancela. Digite exit no shell para voltar.',
  },
  'No cluster to draw: the lab cluster is not up.': { ru: 'Нечего рисовать: кластер лабораторной не запущен.', zh: '没有可画的集群:实验集群未启动。', pt: 'Nenhum cluster para desenhar: o cluster do lab não está no ar.' },

  // bring-up
  '◔ bringing up {what}': { ru: '◔ запускаю {what}', zh: '◔ 正在启动 {what}', pt: '◔ subindo {what}' },
  '◔ stopping: undoing what was built of {what}': { ru: '◔ остановка: убираю то, что успело собраться из {what}', zh: '◔ 正在停止:撤销 {what} 已建好的部分', pt: '◔ parando: desfazendo o que foi construído de {what}' },
  '✓ {what} is up': { ru: '✓ {what} запущен', zh: '✓ {what} 已启动', pt: '✓ {what} está no ar' },
  '✗ bringing up {what} failed': { ru: '✗ запуск {what} не удался', zh: '✗ 启动 {what} 失败', pt: '✗ subir {what} falhou' },
  cluster: { ru: 'кластер', zh: '集群', pt: 'cluster' },
  'checking the machine…': { ru: 'проверяю машину…', zh: '正在检查本机…', pt: 'verificando a máquina…' },
  '── output': { ru: '── вывод', zh: '── 输出', pt: '── saída' },
  'Esc goes back to the start screen; nothing of the lab was left half-built.': {
    ru: 'Esc возвращает на стартовый экран; ничего недостроенного не осталось.',
    zh: 'Esc 返回开始界面;实验没有留下任何半成品。',
    pt: 'Esc volta à tela inicial; nada do lab ficou pela metade.',
  },

  // notices and the output pane
  'a step is running: wait, or Ctrl-C to stop it': { ru: 'шаг выполняется: подождите или нажмите Ctrl-C', zh: '有步骤正在运行:请等待,或按 Ctrl-C 停止', pt: 'um passo está rodando: espere, ou Ctrl-C para pará-lo' },
  'a step is still running: wait, or Ctrl-C to stop it': { ru: 'шаг ещё выполняется: подождите или нажмите Ctrl-C', zh: '还有步骤在运行:请等待,或按 Ctrl-C 停止', pt: 'um passo ainda está rodando: espere, ou Ctrl-C para pará-lo' },
  'stopping the step…': { ru: 'останавливаю шаг…', zh: '正在停止这一步…', pt: 'parando o passo…' },
  'still looking at the lab cluster: press Enter again in a moment': {
    ru: 'ещё проверяю кластер: нажмите Enter ещё раз чуть позже',
    zh: '仍在检查实验集群:稍后再按一次 Enter',
    pt: 'ainda verificando o cluster do lab: aperte Enter de novo daqui a pouco',
  },
  'The lab cluster is half there (leftovers of a crash): press d to clean up, then Enter.': {
    ru: 'Кластер лабораторной собран наполовину (остатки после сбоя): нажмите d, чтобы убрать их, затем Enter.',
    zh: '实验集群残缺不全(崩溃后的残留):按 d 清理,然后按 Enter。',
    pt: 'O cluster do lab está pela metade (restos de uma falha): aperte d para limpar, depois Enter.',
  },
  'back from the shell: press c to check what you did': { ru: 'вы вернулись из оболочки: нажмите c, чтобы проверить сделанное', zh: '已从 shell 返回:按 c 检查你做的操作', pt: 'de volta do shell: aperte c para verificar o que você fez' },
  'step {n} is todo again': { ru: 'шаг {n} снова не начат', zh: '第 {n} 步已重置为待做', pt: 'o passo {n} voltou a ser a fazer' },
  'step {n} is todo again, cleaned up': { ru: 'шаг {n} снова не начат, всё убрано', zh: '第 {n} 步已重置为待做,并已清理', pt: 'o passo {n} voltou a ser a fazer, limpo' },
  '── step {n}: {title} (hoplab runs it)': { ru: '── шаг {n}: {title} (выполняет hoplab)', zh: '── 第 {n} 步:{title}(由 hoplab 执行)', pt: '── passo {n}: {title} (o hoplab roda)' },
  '── checking step {n} on the cluster as it is now': { ru: '── проверяю шаг {n} на кластере в его текущем виде', zh: '── 按集群当前的状态检查第 {n} 步', pt: '── verificando o passo {n} no cluster como ele está agora' },
  '── step {n}: cleaning up for a fresh start': { ru: '── шаг {n}: очистка, чтобы начать заново', zh: '── 第 {n} 步:清理以便重新开始', pt: '── passo {n}: limpando para recomeçar' },
  '↓ more below: {key}': { ru: '↓ ниже ещё: {key}', zh: '↓ 下面还有:{key}', pt: '↓ mais abaixo: {key}' },
  '— end —': { ru: '— конец —', zh: '— 结束 —', pt: '— fim —' },
  '{key}: back up': { ru: '{key}: назад вверх', zh: '{key}:回到上面', pt: '{key}: voltar para cima' },
  '({n}/{total} lines)': { ru: '({n}/{total} строк)', zh: '({n}/{total} 行)', pt: '({n}/{total} linhas)' },
  '{n} lines': { ru: 'строк: {n}', zh: '{n} 行', pt: '{n} linhas' },
  '(last {n} kept)': { ru: '(хранятся последние {n})', zh: '(保留最后 {n} 行)', pt: '(últimas {n} guardadas)' },
  'scrolled up {n} (PgDn/J to follow)': { ru: 'прокручено вверх на {n} (PgDn/J — следить)', zh: '已向上滚动 {n} 行(PgDn/J 继续跟随)', pt: 'rolado {n} para cima (PgDn/J para acompanhar)' },
  'here, with kubectl set for the lab': { ru: 'здесь, с kubectl, настроенным на лабораторную', zh: '本机,kubectl 已指向实验集群', pt: 'aqui, com o kubectl apontado para o lab' },
  'here (kubectl)': { ru: 'здесь (kubectl)', zh: '本机(kubectl)', pt: 'aqui (kubectl)' },
  'in pod {name}': { ru: 'в поде {name}', zh: '在 Pod {name} 中', pt: 'no pod {name}' },
  'on {name}': { ru: 'на {name}', zh: '在 {name} 上', pt: 'em {name}' },
  ' or ': { ru: ' или ', zh: ' 或 ', pt: ' ou ' },
  "'{title}' is for {modes}; the cluster runs {cni}. Press d to take it down, then Enter.": {
    ru: "'{title}' рассчитана на {modes}; кластер работает в {cni}. Нажмите d, чтобы остановить его, затем Enter.",
    zh: "'{title}' 适用于 {modes};集群运行的是 {cni}。按 d 关闭它,然后按 Enter。",
    pt: "'{title}' é para {modes}; o cluster roda {cni}. Aperte d para derrubá-lo, depois Enter.",
  },
  "'{title}' needs {modes}, which this machine's kernel cannot build": {
    ru: "'{title}' нужен {modes}, а ядро этой машины его не поддерживает",
    zh: "'{title}' 需要 {modes},本机内核无法构建",
    pt: "'{title}' precisa de {modes}, que o kernel desta máquina não consegue montar",
  },
  "opened lab '{title}'": { ru: "открыта лабораторная '{title}'", zh: "已打开实验 '{title}'", pt: "lab '{title}' aberto" },
  ', back at step {n}': { ru: ', снова на шаге {n}', zh: ',回到第 {n} 步', pt: ', de volta ao passo {n}' },
  "taking lab '{lab}' down…": { ru: "останавливаю лабораторную '{lab}'…", zh: "正在关闭实验 '{lab}'…", pt: "derrubando o lab '{lab}'…" },
  "lab '{lab}' is down": { ru: "лабораторная '{lab}' остановлена", zh: "实验 '{lab}' 已关闭", pt: "o lab '{lab}' foi derrubado" },
  "{names}: not there yet, step {n} '{title}' creates it. u catches you up (runs the solutions this step needs, unchecked)": {
    ru: "{names}: ещё нет, его создаёт шаг {n} '{title}'. u догоняет (выполняет нужные этому шагу решения, без проверки)",
    zh: "{names}:还不存在,由第 {n} 步 '{title}' 创建。按 u 追上进度(运行此步所需的解答,不检查)",
    pt: "{names}: ainda não existe, o passo {n} '{title}' o cria. u alcança (roda as soluções de que este passo precisa, sem verificar)",
  },
  "pod {name} is not there yet: step {n} '{title}' creates it (Enter on that step runs it)": {
    ru: "пода {name} ещё нет: его создаёт шаг {n} '{title}' (Enter на том шаге выполняет его)",
    zh: "pod {name} 还不存在:由第 {n} 步 '{title}' 创建(在那一步按 Enter 执行)",
    pt: "o pod {name} ainda não existe: o passo {n} '{title}' o cria (Enter naquele passo o executa)",
  },
  "↻ This step needs what step {n} '{title}' creates: u catches you up (runs its solution, unchecked).": {
    ru: "↻ Этому шагу нужно то, что создаёт шаг {n} '{title}': u догоняет (выполняет его решение, без проверки).",
    zh: "↻ 这一步需要第 {n} 步 '{title}' 创建的东西:按 u 追上进度(运行它的解答,不检查)。",
    pt: "↻ Este passo precisa do que o passo {n} '{title}' cria: u alcança (roda a solução dele, sem verificar).",
  },
  '↻ This step needs what steps {list} create: u catches you up (runs their solutions, unchecked).': {
    ru: '↻ Этому шагу нужно то, что создают шаги {list}: u догоняет (выполняет их решения, без проверки).',
    zh: '↻ 这一步需要第 {list} 步创建的东西:按 u 追上进度(运行它们的解答,不检查)。',
    pt: '↻ Este passo precisa do que os passos {list} criam: u alcança (roda as soluções deles, sem verificar).',
  },
  'pod {name} is not there yet': { ru: 'пода {name} ещё нет', zh: 'pod {name} 还不存在', pt: 'o pod {name} ainda não existe' },
  'no shell {where}: {error}': { ru: 'нет оболочки {where}: {error}', zh: '无法打开 shell {where}:{error}', pt: 'sem shell {where}: {error}' },
  "hoplab: a shell {where} (lab '{lab}'), step {n}: {title}": {
    ru: "hoplab: оболочка {where} (лабораторная '{lab}'), шаг {n}: {title}",
    zh: "hoplab:shell {where}(实验 '{lab}'),第 {n} 步:{title}",
    pt: "hoplab: um shell {where} (lab '{lab}'), passo {n}: {title}",
  },
  'the step asks for:': { ru: 'шаг просит выполнить:', zh: '这一步要求执行:', pt: 'o passo pede:' },
  'type exit or Ctrl-D to come back to hoplab, then c to check.': {
    ru: 'введите exit или нажмите Ctrl-D, чтобы вернуться в hoplab, затем c — проверить.',
    zh: '输入 exit 或按 Ctrl-D 回到 hoplab,然后按 c 检查。',
    pt: 'digite exit ou Ctrl-D para voltar ao hoplab, depois c para verificar.',
  },
  '── your shell {where} (exit {code})': { ru: '── ваша оболочка {where} (код выхода {code})', zh: '── 你的 shell {where}(退出码 {code})', pt: '── seu shell {where} (saída {code})' },
  'shell {where} closed (exit {code})': { ru: 'оболочка {where} закрыта (код выхода {code})', zh: 'shell {where} 已关闭(退出码 {code})', pt: 'shell {where} fechado (saída {code})' },
  'the trace differs from the expected path at hop {n}': {
    ru: 'трасса расходится с ожидаемым путём на хопе {n}',
    zh: '追踪结果在第 {n} 跳与预期路径不同',
    pt: 'o trace difere do caminho esperado no salto {n}',
  },
  'language: {name}': { ru: 'язык: {name}', zh: '语言:{name}', pt: 'idioma: {name}' },

  // keys: the footer's words and the help's descriptions (keymap.ts)
  move: { ru: 'выбор', zh: '移动', pt: 'mover' },
  open: { ru: 'открыть', zh: '打开', pt: 'abrir' },
  run: { ru: 'выполнить', zh: '执行', pt: 'rodar' },
  shell: { ru: 'оболочка', zh: 'shell', pt: 'shell' },
  check: { ru: 'проверить', zh: '检查', pt: 'verificar' },
  hint: { ru: 'подсказка', zh: '提示', pt: 'dica' },
  answer: { ru: 'ответ', zh: '答案', pt: 'resposta' },
  next: { ru: 'далее', zh: '下一步', pt: 'próximo' },
  topology: { ru: 'топология', zh: '拓扑', pt: 'topologia' },
  reset: { ru: 'сброс', zh: '重置', pt: 'reiniciar' },
  'output/check': { ru: 'вывод/проверка', zh: '输出/检查', pt: 'saída/verificação' },
  text: { ru: 'текст', zh: '文本', pt: 'texto' },
  output: { ru: 'вывод', zh: '输出', pt: 'saída' },
  scroll: { ru: 'прокрутка', zh: '滚动', pt: 'rolar' },
  refresh: { ru: 'обновить', zh: '刷新', pt: 'atualizar' },
  back: { ru: 'назад', zh: '返回', pt: 'voltar' },
  help: { ru: 'справка', zh: '帮助', pt: 'ajuda' },
  quit: { ru: 'выход', zh: '退出', pt: 'sair' },
  'quit, keep it up': { ru: 'выйти, оставить запущенным', zh: '退出,保留集群', pt: 'sair, manter no ar' },
  'take it down and quit': { ru: 'остановить и выйти', zh: '关闭集群并退出', pt: 'derrubar e sair' },
  stay: { ru: 'остаться', zh: '留下', pt: 'ficar' },
  stop: { ru: 'стоп', zh: '停止', pt: 'parar' },
  language: { ru: 'язык', zh: '语言', pt: 'idioma' },
  'move the cursor (labs, steps, places)': { ru: 'перемещать курсор (лабораторные, шаги, места)', zh: '移动光标(实验、步骤、位置)', pt: 'mover o cursor (labs, passos, lugares)' },
  'move down': { ru: 'вниз', zh: '向下移动', pt: 'descer' },
  'open the lab (brings the cluster up first when it is down); in a list, pick': {
    ru: 'открыть лабораторную (сначала запускает кластер, если он остановлен); в списке — выбрать',
    zh: '打开实验(集群未启动时先启动);在列表中为选择',
    pt: 'abrir o lab (sobe o cluster antes, se estiver desligado); numa lista, escolher',
  },
  "let hoplab run the step's commands, then check": { ru: 'hoplab выполнит команды шага и проверит', zh: '让 hoplab 执行这一步的命令,然后检查', pt: 'deixar o hoplab rodar os comandos do passo e depois verificar' },
  'open a shell where the step runs (node or pod); type exit to come back': {
    ru: 'открыть оболочку там, где выполняется шаг (узел или под); exit — вернуться',
    zh: '在这一步执行的地方(节点或 Pod)打开 shell;输入 exit 返回',
    pt: 'abrir um shell onde o passo roda (node ou pod); digite exit para voltar',
  },
  'check what you did in the shell': { ru: 'проверить, что вы сделали в оболочке', zh: '检查你在 shell 里做的操作', pt: 'verificar o que você fez no shell' },
  'show the next hint': { ru: 'показать следующую подсказку', zh: '显示下一条提示', pt: 'mostrar a próxima dica' },
  'show the answer (the solution)': { ru: 'показать ответ (решение)', zh: '显示答案(解法)', pt: 'mostrar a resposta (a solução)' },
  'go to the next step': { ru: 'перейти к следующему шагу', zh: '进入下一步', pt: 'ir para o próximo passo' },
  'topology: the cluster drawn, with the last traced path lit': {
    ru: 'топология: схема кластера с подсвеченным последним путём',
    zh: '拓扑:画出集群,并点亮最后一次追踪的路径',
    pt: 'topologia: o cluster desenhado, com o último caminho rastreado aceso',
  },
  'reset this step to todo': { ru: 'сбросить шаг в «не начат»', zh: '把这一步重置为待做', pt: 'voltar este passo para a fazer' },
  'switch the lower pane between the output and the check table': {
    ru: 'переключить нижнюю панель между выводом и таблицей проверки',
    zh: '在输出和检查表之间切换下方窗格',
    pt: 'alternar o painel de baixo entre a saída e a tabela de verificação',
  },
  "scroll the step's text up": { ru: 'прокрутить текст шага вверх', zh: '向上滚动步骤文本', pt: 'rolar o texto do passo para cima' },
  "scroll the step's text down (when it says more below)": {
    ru: 'прокрутить текст шага вниз (когда ниже есть ещё)',
    zh: '向下滚动步骤文本(下方还有内容时)',
    pt: 'rolar o texto do passo para baixo (quando houver mais abaixo)',
  },
  'scroll the lower pane (output or check table) up': { ru: 'прокрутить нижнюю панель (вывод или проверку) вверх', zh: '向上滚动下方窗格(输出或检查表)', pt: 'rolar o painel de baixo (saída ou verificação) para cima' },
  'scroll the lower pane down (output: to the end, it follows again)': {
    ru: 'прокрутить нижнюю панель вниз (вывод: до конца — снова следит за новым)',
    zh: '向下滚动下方窗格(输出:滚到末尾后重新跟随)',
    pt: 'rolar o painel de baixo para baixo (saída: no fim, volta a acompanhar)',
  },
  'scroll the drawing up': { ru: 'прокрутить схему вверх', zh: '向上滚动图', pt: 'rolar o desenho para cima' },
  'scroll the drawing down': { ru: 'прокрутить схему вниз', zh: '向下滚动图', pt: 'rolar o desenho para baixo' },
  'bring the lab cluster up': { ru: 'запустить кластер лабораторной', zh: '启动实验集群', pt: 'subir o cluster do lab' },
  ', {n} shown': { ru: ', показано: {n}', zh: ',{n} 步由 hoplab 演示', pt: ', {n} mostrados' },
  '○ todo ◔ running ✓ yours ◇ shown ✗': {
    ru: '○ не начат ◔ выполняется ✓ ваш ◇ показан ✗',
    zh: '○ 待做 ◔ 运行中 ✓ 你完成的 ◇ 演示的 ✗',
    pt: '○ a fazer ◔ em curso ✓ seu ◇ mostrado ✗',
  },
  '◇ Shown: hoplab ran the solution, so this step counts as shown, not passed. r starts it over to do it yourself;': {
    ru: '◇ Показано: hoplab выполнил решение, поэтому шаг засчитан как показанный, а не пройденный. r — начать его заново и сделать самому;',
    zh: '◇ 已演示:hoplab 运行了答案,所以这一步算作“演示”,不算“通过”。按 r 重新开始,自己动手做;',
    pt: '◇ Mostrado: o hoplab executou a solução, então este passo conta como mostrado, não como aprovado. r recomeça-o para você fazer;',
  },
  'steps not done yet are marked ○ or ✗ in the list.': {
    ru: 'невыполненные шаги отмечены в списке ○ или ✗.',
    zh: '尚未完成的步骤在列表中标为 ○ 或 ✗。',
    pt: 'os passos ainda não feitos estão marcados com ○ ou ✗ na lista.',
  },
  'catch up': { ru: 'догнать', zh: '追上进度', pt: 'alcançar' },
  'catch up: run the solutions of the earlier steps this one depends on (not checked), then stay on it': {
    ru: 'догнать: выполнить решения предыдущих шагов, от которых зависит этот (без проверки), и остаться на нём',
    zh: '追上进度:运行这一步所依赖的前面各步的答案(不检查),然后停在这一步',
    pt: 'alcançar: executar as soluções dos passos anteriores de que este depende (sem verificar) e ficar nele',
  },
  'reset this step: todo again, and the cluster back to how the step starts': {
    ru: 'сбросить шаг: снова «не начат», а кластер — в состояние начала шага',
    zh: '重置这一步:重新变为待做,集群恢复到这一步开始时的状态',
    pt: 'reiniciar este passo: de novo a fazer, e o cluster como estava no início do passo',
  },
  'start over': { ru: 'начать заново', zh: '从头开始', pt: 'recomeçar' },
  'start the lab over: every step todo, what the lab made removed (asks first)': {
    ru: 'начать лабораторную заново: все шаги «не начат», созданное лабораторной удаляется (сначала спросит)',
    zh: '从头开始本实验:所有步骤变为待做,删除实验创建的一切(会先询问)',
    pt: 'recomeçar o lab: todos os passos a fazer, o que o lab criou é removido (pergunta antes)',
  },
  'take the lab cluster down (asks first)': { ru: 'остановить кластер лабораторной (сначала спросит)', zh: '关闭实验集群(会先询问)', pt: 'derrubar o cluster do lab (pergunta antes)' },
  'raise hand': { ru: 'поднять руку', zh: '举手', pt: 'levantar a mão' },
  'raise your hand in the classroom (hoplab join), with an optional one-line message': {
    ru: 'поднять руку в классе (hoplab join), можно с сообщением в одну строку',
    zh: '在课堂中举手(hoplab join),可附一行留言',
    pt: 'levantar a mão na turma (hoplab join), com uma mensagem opcional de uma linha',
  },
  yes: { ru: 'да', zh: '是', pt: 'sim' },
  'yes, do it': { ru: 'да, выполнить', zh: '是,执行', pt: 'sim, fazer' },
  no: { ru: 'нет', zh: '否', pt: 'não' },
  'no, leave it as it is': { ru: 'нет, оставить как есть', zh: '否,保持原样', pt: 'não, deixar como está' },
  'take the lab cluster down': { ru: 'остановить кластер лабораторной', zh: '关闭实验集群', pt: 'derrubar o cluster do lab' },
  'look again at the cluster and the machine': { ru: 'заново проверить кластер и машину', zh: '重新检查集群和本机', pt: 'olhar de novo o cluster e a máquina' },
  'back / close': { ru: 'назад / закрыть', zh: '返回 / 关闭', pt: 'voltar / fechar' },
  'help: every key': { ru: 'справка: все клавиши', zh: '帮助:所有按键', pt: 'ajuda: todas as teclas' },
  'quit (asks when the lab cluster is up)': { ru: 'выход (спросит, если кластер запущен)', zh: '退出(实验集群运行时会询问)', pt: 'sair (pergunta quando o cluster do lab está no ar)' },
  'quit; the lab cluster stays up for next time': { ru: 'выйти; кластер остаётся запущенным до следующего раза', zh: '退出;实验集群保持运行,下次接着用', pt: 'sair; o cluster do lab fica no ar para a próxima vez' },
  'take the lab cluster down, then quit': { ru: 'остановить кластер лабораторной, затем выйти', zh: '关闭实验集群,然后退出', pt: 'derrubar o cluster do lab e depois sair' },
  'stay in hoplab': { ru: 'остаться в hoplab', zh: '留在 hoplab', pt: 'ficar no hoplab' },
  'stop what is running (bring-up is undone); again to leave': {
    ru: 'остановить то, что выполняется (запуск откатывается); ещё раз — выйти',
    zh: '停止正在运行的操作(启动会被撤销);再按一次退出',
    pt: 'parar o que está rodando (a subida é desfeita); de novo para sair',
  },
  'switch the language (English, Русский, 中文, Português)': {
    ru: 'сменить язык (English, Русский, 中文, Português)',
    zh: '切换语言(English、Русский、中文、Português)',
    pt: 'trocar o idioma (English, Русский, 中文, Português)',
  },
};

/** `text` in `lang`, with {name} filled from `vars`; English (the key) when there is no entry. */
export function translate(lang: Lang, text: string, vars: Record<string, string | number> = {}): string {
  const out = lang === 'en' ? text : (MESSAGES[text]?.[lang] ?? text);
  return out.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export type T = (text: string, vars?: Record<string, string | number>) => string;

export const LangContext = createContext<Lang>('en');

/** The translator for the language the UI shows now. */
export function useT(): T {
  const lang = useContext(LangContext);
  return (text, vars) => translate(lang, text, vars);
}
